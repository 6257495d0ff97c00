// Drives the tiergate gateway with the official OpenAI npm SDK, as an application would.
// Usage: node openai-client.mjs <baseURL> <key> [<rejectedKey> <streamFailKey>] ; prints one JSON object of what it saw.
// The gateway's GatewayOpenAiNodeIT (scripted pipeline) passes all four; e2e's stack tests (the five real
// services) pass no rejectedKey/streamFailKey ("-" or absent), and those two parts are left out of the output.
// OPENAI_CLIENT_MODEL (environment): the model every call asks for (default tiergate/auto, the policy decides).
import OpenAI from 'openai';

const [baseURL, key, ...optional] = process.argv.slice(2);
const [rejectedKey, streamFailKey] = optional.map((k) => (k === '-' ? undefined : k));
const model = process.env.OPENAI_CLIENT_MODEL || 'tiergate/auto';
// tiergate's response headers, as the client got them
const tiergateHeaders = (response) => ({
  requestId: response.headers.get('x-tiergate-request-id'),
  tier: response.headers.get('x-tiergate-tier'),
  model: response.headers.get('x-tiergate-model'),
  rule: response.headers.get('x-tiergate-rule'),
  cost: response.headers.get('x-tiergate-cost-usd'),
});
const client = new OpenAI({ baseURL, apiKey: key, maxRetries: 0, timeout: 30000 });
const conversation = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Hi, I am Ana.' },
  { role: 'assistant', content: 'Hello Ana.' },
  { role: 'user', content: 'What is my name?' },
];
const out = {};

const { data, response } = await client.chat.completions
  .create({ model, messages: conversation, max_tokens: 64 })
  .withResponse();
out.plain = {
  content: data.choices[0].message.content,
  finishReason: data.choices[0].finish_reason,
  usage: data.usage,
  requestId: response.headers.get('x-tiergate-request-id'),
  costHeader: response.headers.get('x-tiergate-cost-usd'),
  headers: tiergateHeaders(response),
};

const { data: stream, response: streamResponse } = await client.chat.completions
  .create({
    model,
    messages: conversation,
    stream: true,
    stream_options: { include_usage: true },
  })
  .withResponse();
let text = '';
let last = null;
let contentChunks = 0;
let finishReason = null;
for await (const chunk of stream) {
  for (const choice of chunk.choices) {
    text += choice.delta?.content ?? '';
    if (choice.delta?.content) contentChunks++;
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  last = chunk;
}
out.stream = {
  content: text,
  contentChunks,
  finishReason,
  lastChoices: last.choices.length,
  usage: last.usage,
  headers: tiergateHeaders(streamResponse),
};

// a result that fails after the stream started: the SDK raises the error event
if (streamFailKey) {
  let failedText = '';
  try {
    const failing = await new OpenAI({ baseURL, apiKey: streamFailKey, maxRetries: 0, timeout: 30000 }).chat.completions.create({
      model, messages: conversation, stream: true,
    });
    for await (const chunk of failing) {
      for (const choice of chunk.choices) failedText += choice.delta?.content ?? '';
    }
    out.streamFailure = { content: failedText, error: null };
  } catch (e) {
    out.streamFailure = { content: failedText, error: e.message, name: e.constructor.name };
  }
}

const tools = [{
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}];
// the round trip: the model calls the tool, the client runs it and sends the result, the model answers
const ask = [{ role: 'user', content: 'Weather in Köln?' }];
const called = await client.chat.completions
  .create({ model, messages: ask, tools, tool_choice: 'auto' })
  .withResponse();
const callMessage = called.data.choices[0].message;
const toolCall = callMessage.tool_calls?.[0];
// one tool turn per call, as the API requires: the first call's result, then a placeholder per further call
const toolTurns = (callMessage.tool_calls ?? []).map((c, i) => ({
  role: 'tool',
  tool_call_id: c.id,
  content: i === 0 ? '12°C, rain' : `result of ${c.function.name}`,
}));
const answered = await client.chat.completions
  .create({
    model,
    messages: [...ask, callMessage, ...toolTurns],
    tools,
    tool_choice: 'auto',
  })
  .withResponse();
out.tools = {
  call: {
    content: callMessage.content,
    finishReason: called.data.choices[0].finish_reason,
    id: toolCall.id,
    type: toolCall.type,
    name: toolCall.function.name,
    arguments: JSON.parse(toolCall.function.arguments),
    ids: callMessage.tool_calls.map((c) => c.id),
    names: callMessage.tool_calls.map((c) => c.function.name),
    usage: called.data.usage,
    requestId: called.response.headers.get('x-tiergate-request-id'),
  },
  content: answered.data.choices[0].message.content,
  toolCalls: answered.data.choices[0].message.tool_calls ?? null,
  finishReason: answered.data.choices[0].finish_reason,
  usage: answered.data.usage,
  requestId: answered.response.headers.get('x-tiergate-request-id'),
};

// a streamed tool call, joined from its deltas by index as applications do
const toolStream = await client.chat.completions.create({
  model,
  messages: ask,
  tools,
  stream: true,
  stream_options: { include_usage: true },
});
const streamedCalls = [];
let streamedFinish = null;
let streamedUsage = null;
for await (const chunk of toolStream) {
  streamedUsage = chunk.usage ?? streamedUsage;
  for (const choice of chunk.choices) {
    for (const d of choice.delta?.tool_calls ?? []) {
      const c = (streamedCalls[d.index] ??= { id: '', name: '', arguments: '' });
      c.id += d.id ?? '';
      c.name += d.function?.name ?? '';
      c.arguments += d.function?.arguments ?? '';
    }
    streamedFinish = choice.finish_reason ?? streamedFinish;
  }
}
out.toolStream = { calls: streamedCalls, finishReason: streamedFinish, usage: streamedUsage };

async function failure(call) {
  try {
    await call();
    return { status: 200 };
  } catch (e) {
    return { status: e.status, code: e.code, param: e.param, type: e.type, message: e.message };
  }
}
out.unknownKey = await failure(() =>
  new OpenAI({ baseURL, apiKey: 'tg-unknown', maxRetries: 0 }).chat.completions.create({ model: 'tiergate/auto', messages: conversation }));
if (rejectedKey) {
  out.rejected = await failure(() =>
    new OpenAI({ baseURL, apiKey: rejectedKey, maxRetries: 0 }).chat.completions.create({ model: 'tiergate/auto', messages: conversation }));
}
out.badTemperature = await failure(() =>
  client.chat.completions.create({ model, messages: conversation, temperature: 9 }));
out.unknownModel = await failure(() => client.chat.completions.create({ model: 'gpt-9', messages: conversation }));
out.models = (await client.models.list()).data.map((m) => m.id);

console.log(JSON.stringify(out));
