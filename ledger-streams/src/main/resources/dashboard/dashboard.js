// tiergate live cost dashboard: polls the ledger's HTTP API every 2 s and renders it.
//
// Money arrives as exact decimal strings ("12.345678900"). The page shows the strings it gets
// verbatim and adds money only as BigInt fixed-point, never as floating point, so every amount on
// the page is exact. Numbers a test reads carry data-section, data-<key>, data-field and a
// data-value with the API's value (README.md documents the contract).
'use strict';

(function () {
  const POLL_MS = 2000;
  // ?api=http://host:8095 points the page at another ledger (the API must then allow CORS);
  // by default the page talks to the ledger that serves it.
  const API_BASE = (new URLSearchParams(window.location.search).get('api') || '').replace(/\/+$/, '');
  const TIER_ORDER = ['LOCAL', 'CLOUD', 'NONE', 'UNKNOWN'];
  const TASK_ORDER = ['CLASSIFICATION', 'EXTRACTION', 'SUMMARIZATION', 'CONVERSATION', 'BOILERPLATE',
    'IMPLEMENTATION', 'CODE_REVIEW', 'DEBUGGING', 'ARCHITECTURE', 'UNKNOWN'];
  const GLOBAL = 'global';
  // The ledger API takes a token (docs/security.md, "HTTP endpoints"): ./tiergate up prints the
  // page's address with it in the fragment (#token=…), which browsers never send to a server. The
  // page keeps it for this tab only and takes it out of the address bar and history.
  const API_TOKEN = (function () {
    const fromFragment = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
    try {
      if (fromFragment) {
        window.sessionStorage.setItem('tiergate.apiToken', fromFragment);
        window.history.replaceState(null, '', window.location.pathname + window.location.search);
        return fromFragment;
      }
      return window.sessionStorage.getItem('tiergate.apiToken');
    } catch (e) {
      return fromFragment; // storage disabled: this load only
    }
  })();
  const DASH = '—';

  // ---------- exact decimals (BigInt fixed point) ----------

  /** "12.345678900" → {units: 12345678900n, scale: 9}. Throws on anything that is not a plain decimal. */
  function parseDecimal(text) {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text));
    if (!match) {
      throw new Error('not an exact decimal amount: ' + JSON.stringify(text));
    }
    const fraction = match[3] || '';
    const units = BigInt(match[2] + fraction);
    return { units: match[1] === '-' ? -units : units, scale: fraction.length };
  }

  function rescale(value, scale) {
    return value.units * (10n ** BigInt(scale - value.scale));
  }

  /** Exact sum of decimal strings, at the largest scale among them (9 for ledger money). */
  function sumDecimals(texts) {
    const values = texts.map(parseDecimal);
    const scale = values.reduce((max, v) => Math.max(max, v.scale), 9);
    const units = values.reduce((sum, v) => sum + rescale(v, scale), 0n);
    return formatDecimal(units, scale);
  }

  function formatDecimal(units, scale) {
    const negative = units < 0n;
    let digits = (negative ? -units : units).toString();
    if (scale === 0) {
      return (negative ? '-' : '') + digits;
    }
    digits = digits.padStart(scale + 1, '0');
    return (negative ? '-' : '') + digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }

  function compareDecimals(a, b) {
    const x = parseDecimal(a);
    const y = parseDecimal(b);
    const scale = Math.max(x.scale, y.scale);
    const left = rescale(x, scale);
    const right = rescale(y, scale);
    return left < right ? -1 : left > right ? 1 : 0;
  }

  /** Display-only share in percent (bars); never used for a number the page states. */
  function sharePct(part, whole) {
    if (typeof part === 'string') {
      const x = parseDecimal(part);
      const y = parseDecimal(whole);
      const scale = Math.max(x.scale, y.scale);
      const p = rescale(x, scale);
      const w = rescale(y, scale);
      return w === 0n ? 0 : Number((p * 100000n) / w) / 1000;
    }
    return whole === 0 ? 0 : (part * 100) / whole;
  }

  // ---------- API ----------

  async function getJson(path) {
    let response;
    try {
      const headers = { Accept: 'application/json' };
      if (API_TOKEN) {
        headers.Authorization = 'Bearer ' + API_TOKEN;
      }
      response = await fetch(API_BASE + path, { cache: 'no-store', headers: headers });
    } catch (e) {
      throw new Error('GET ' + path + ' failed: ' + e.message);
    }
    const body = await response.text();
    if (!response.ok) {
      let reason = body;
      try {
        const parsed = JSON.parse(body);
        reason = parsed.error || parsed.message || body;
      } catch (ignored) {
        // not JSON: show the text as is
      }
      if (response.status === 401) {
        reason += ' (open the dashboard address ./tiergate up printed: …/dashboard/#token=<token>)';
      }
      throw new Error('GET ' + path + ' → ' + response.status + (reason ? ': ' + reason : ''));
    }
    try {
      return JSON.parse(body);
    } catch (e) {
      throw new Error('GET ' + path + ' answered something that is not JSON');
    }
  }

  // ---------- DOM helpers (textContent only: scope and model names are data, never markup) ----------

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) {
        node.setAttribute(name, value);
      }
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  /**
   * A cell holding one checked number: data-value is the API's value verbatim (absent when the API
   * said null), the text is what a person reads (the same string for money).
   */
  function field(section, keyName, key, name, value, text, extra) {
    const attrs = Object.assign({ 'data-section': section, 'data-field': name }, extra || {});
    attrs['data-' + keyName] = key;
    if (value !== null && value !== undefined) {
      attrs['data-value'] = String(value);
    }
    const shown = text !== undefined ? text : value === null || value === undefined ? DASH : String(value);
    return el('td', attrs, shown);
  }

  function label(text, extra) {
    return el('td', Object.assign({ class: 'label' }, extra || {}), text);
  }

  function bar(pct, className) {
    const td = el('td', { class: 'bar-col' });
    const track = el('div', { class: 'bar-track' });
    const fill = el('div', { class: 'bar ' + (className || '') });
    fill.style.width = Math.max(0, Math.min(100, pct)).toFixed(1) + '%';
    track.appendChild(fill);
    td.appendChild(track);
    td.appendChild(el('span', { class: 'bar-label' }, pct.toFixed(1) + '%'));
    return td;
  }

  function replaceRows(tableId, rows, emptyText, columns) {
    const tbody = document.querySelector('#' + tableId + ' tbody');
    const fresh = document.createElement('tbody');
    if (rows.length === 0) {
      const tr = el('tr', { class: 'empty' });
      tr.appendChild(el('td', { colspan: String(columns) }, emptyText));
      fresh.appendChild(tr);
    }
    rows.forEach((row) => fresh.appendChild(row));
    tbody.replaceWith(fresh);
  }

  function byScope(a, b) {
    if (a === GLOBAL || b === GLOBAL) {
      return a === GLOBAL ? (b === GLOBAL ? 0 : -1) : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function byOrder(order) {
    return (a, b) => {
      const i = order.indexOf(a);
      const j = order.indexOf(b);
      if (i !== j) {
        return (i < 0 ? order.length : i) - (j < 0 ? order.length : j);
      }
      return a < b ? -1 : a > b ? 1 : 0;
    };
  }

  // ---------- rendering ----------

  function renderHeadline(totals) {
    const total = document.querySelector('[data-section="headline"][data-field="totalUsd"]');
    total.textContent = totals.totalUsd;
    total.setAttribute('data-value', totals.totalUsd);
    const events = document.querySelector('[data-section="headline"][data-field="costEvents"]');
    events.textContent = String(totals.costEvents);
    events.setAttribute('data-value', String(totals.costEvents));
  }

  function renderBudgets(statuses) {
    const section = 'budgets';
    const rows = statuses
      .slice()
      .sort((a, b) => byScope(a.scope, b.scope))
      .map((s) => {
        const tr = el('tr', { 'data-scope': s.scope, class: 'level-row row-' + s.level });
        tr.appendChild(label(s.scope));
        tr.appendChild(field(section, 'scope', s.scope, 'level', s.level, s.level.replace('_', ' '),
          { class: 'level level-' + s.level }));
        const pct = typeof s.utilization === 'number' ? (s.utilization * 100).toFixed(1) + '%' : DASH;
        const util = field(section, 'scope', s.scope, 'utilization', s.utilization, pct, { class: 'util' });
        tr.appendChild(util);
        tr.appendChild(field(section, 'scope', s.scope, 'dailySpendUsd', s.dailySpendUsd, undefined, { class: 'num' }));
        tr.appendChild(field(section, 'scope', s.scope, 'dailyLimitUsd', s.dailyLimitUsd, undefined, { class: 'num' }));
        tr.appendChild(field(section, 'scope', s.scope, 'monthlySpendUsd', s.monthlySpendUsd, undefined, { class: 'num' }));
        tr.appendChild(field(section, 'scope', s.scope, 'monthlyLimitUsd', s.monthlyLimitUsd, undefined, { class: 'num' }));
        tr.appendChild(field(section, 'scope', s.scope, 'burnRateUsdPerHour', s.burnRateUsdPerHour, undefined, { class: 'num' }));
        tr.appendChild(field(section, 'scope', s.scope, 'forecastExhaustionAt', s.forecastExhaustionAt,
          s.forecastExhaustionAt ? s.forecastExhaustionAt : 'not within period'));
        tr.appendChild(field(section, 'scope', s.scope, 'onExhausted', s.onExhausted));
        tr.appendChild(field(section, 'scope', s.scope, 'anomaly', s.anomaly, s.anomaly ? 'ANOMALY' : 'no',
          { class: s.anomaly ? 'anomaly' : '' }));
        return tr;
      });
    replaceRows('budgets', rows, 'no budget status yet', 11);
  }

  function renderCostCenters(totals) {
    const section = 'cost-centers';
    const scopes = (totals.scopes || []).slice().sort((a, b) => byScope(a.scope, b.scope));
    const whole = totals.totalUsd;
    const rows = scopes.map((s) => {
      const tr = el('tr', { 'data-scope': s.scope, class: s.scope === GLOBAL ? 'global' : '' });
      tr.appendChild(label(s.scope));
      tr.appendChild(field(section, 'scope', s.scope, 'totalUsd', s.spendUsd, undefined, { class: 'num' }));
      tr.appendChild(field(section, 'scope', s.scope, 'budgetSpendUsd', s.budgetSpendUsd, undefined, { class: 'num' }));
      tr.appendChild(field(section, 'scope', s.scope, 'costEvents', s.costEvents, undefined, { class: 'num' }));
      tr.appendChild(bar(sharePct(s.spendUsd, whole), 'money'));
      return tr;
    });
    replaceRows('cost-centers', rows, 'nothing counted yet', 5);
  }

  /** Groups the global scope's windows by one dimension with exact sums. */
  function group(windows, keyOf) {
    const groups = new Map();
    for (const w of windows) {
      const key = keyOf(w);
      let g = groups.get(key);
      if (!g) {
        g = { key: key, requests: 0, inputTokens: 0, outputTokens: 0, spend: [], rework: [], tiers: new Set() };
        groups.set(key, g);
      }
      g.requests += Number(w.requestCount);
      g.inputTokens += Number(w.inputTokens);
      g.outputTokens += Number(w.outputTokens);
      g.spend.push(w.spendUsd);
      g.rework.push(w.reworkSpendUsd);
      g.tiers.add(w.tier);
    }
    for (const g of groups.values()) {
      g.spendUsd = sumDecimals(g.spend);
      g.reworkUsd = sumDecimals(g.rework);
    }
    return [...groups.values()];
  }

  function renderDistribution(tableId, keyName, groups, order) {
    const total = groups.reduce((sum, g) => sum + g.requests, 0);
    const rows = groups
      .sort((a, b) => byOrder(order)(a.key, b.key))
      .map((g) => {
        const tr = el('tr', {});
        tr.setAttribute('data-' + keyName, g.key);
        tr.appendChild(label(g.key, { class: 'label tag tag-' + g.key }));
        tr.appendChild(field(tableId, keyName, g.key, 'requests', g.requests, undefined, { class: 'num' }));
        tr.appendChild(field(tableId, keyName, g.key, 'spendUsd', g.spendUsd, undefined, { class: 'num' }));
        tr.appendChild(bar(sharePct(g.requests, total), keyName === 'tier' ? 'tier-' + g.key : ''));
        return tr;
      });
    replaceRows(tableId, rows, 'no windows yet', 4);
  }

  function renderModels(windows) {
    const groups = group(windows, (w) => (w.model === null || w.model === undefined ? '(none)' : w.model));
    const whole = sumDecimals(groups.map((g) => g.spendUsd));
    const rows = groups
      .sort((a, b) => compareDecimals(b.spendUsd, a.spendUsd) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((g) => {
        const tr = el('tr', { 'data-model': g.key });
        tr.appendChild(label(g.key));
        const tiers = [...g.tiers].sort(byOrder(TIER_ORDER)).join(', ');
        tr.appendChild(field('models', 'model', g.key, 'tier', tiers));
        tr.appendChild(field('models', 'model', g.key, 'requests', g.requests, undefined, { class: 'num' }));
        tr.appendChild(field('models', 'model', g.key, 'inputTokens', g.inputTokens, undefined, { class: 'num' }));
        tr.appendChild(field('models', 'model', g.key, 'outputTokens', g.outputTokens, undefined, { class: 'num' }));
        tr.appendChild(field('models', 'model', g.key, 'spendUsd', g.spendUsd, undefined, { class: 'num' }));
        tr.appendChild(field('models', 'model', g.key, 'reworkUsd', g.reworkUsd, undefined, { class: 'num' }));
        tr.appendChild(bar(sharePct(g.spendUsd, whole), 'money'));
        return tr;
      });
    replaceRows('models', rows, 'no windows yet', 8);
  }

  function render(statuses, totals, windows) {
    const global = windows.filter((w) => w.scope === GLOBAL);
    renderHeadline(totals);
    renderBudgets(statuses);
    renderCostCenters(totals);
    renderDistribution('tiers', 'tier', group(global, (w) => w.tier), TIER_ORDER);
    renderDistribution('task-types', 'task-type', group(global, (w) => w.taskType), TASK_ORDER);
    renderModels(global);
  }

  // ---------- simulated backends (GET /ledger/backends) ----------

  const SIMULATED_WHY = {
    LOCAL: 'no Ollama answered at TIERGATE_OLLAMA_URL',
    CLOUD: 'no OPENROUTER_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY',
  };

  function renderBackends(backends) {
    const banner = document.getElementById('simulated-banner');
    const tiers = (backends && backends.tiers) || {};
    const simulated = Object.keys(tiers).filter((tier) => tiers[tier].latestSimulated);
    banner.dataset.value = String(Boolean(backends && backends.simulated));
    if (!backends || !backends.simulated) {
      banner.hidden = true;
      banner.textContent = '';
      return;
    }
    const parts = simulated.map((tier) => {
      const t = tiers[tier];
      return tier + ' (' + (SIMULATED_WHY[tier] || 'no real backend') + '; ' + t.simulated + ' of ' +
        (t.simulated + t.real) + ' calls simulated)';
    });
    banner.textContent = 'Simulated backends: ' + parts.join(', ') + '. Their answers are canned text at the ' +
      'model profiles\' latency, and the spend shown is what the profiles\' prices would bill — not real model ' +
      'work. Start Ollama or set an API key, then restart, for real models.';
    banner.hidden = false;
  }

  // ---------- what-if panel (a ./tiergate whatif --json report, read from a local file) ----------
  //
  // The replay is an offline CLI computation (docs/calibration.md, "What-if replay"); the page cannot
  // run it. The operator loads the JSON the CLI printed (file input or drag-and-drop); the file is
  // read in the browser and never sent anywhere. The field names are the ones WhatIfReport.json()
  // writes; e2e's DashboardPageTest renders a report made by that very code.

  const WHATIF_SIDES = ['recorded', 'replayed'];
  const WHATIF_COUNTS = [
    ['cloud', 'cloud requests'],
    ['local', 'local requests'],
    ['deferred', 'deferred'],
    ['rejected', 'rejected'],
  ];
  const LEVEL_LETTERS = { NORMAL: 'N', CONSERVE: 'C', CRITICAL_ONLY: 'K', EXHAUSTED: 'X' };

  /** The report, checked field by field: a file that is not a whatif --json report is refused with the first field missing. */
  function checkWhatIf(report) {
    const problems = [];
    const need = (object, name, type, path) => {
      const value = object === null || typeof object !== 'object' ? undefined : object[name];
      const ok = type === 'money' ? typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)
        : type === 'array' ? Array.isArray(value)
          : type === 'object' ? value !== null && typeof value === 'object' && !Array.isArray(value)
            : typeof value === type;
      if (!ok) {
        problems.push((path ? path + '.' : '') + name + (value === undefined ? ' is missing' : ' is not a ' + type));
      }
    };
    need(report, 'table', 'string');
    need(report, 'budget', 'string');
    need(report, 'requests', 'number');
    need(report, 'recordedCostUsd', 'money');
    need(report, 'replayedCostUsd', 'money');
    need(report, 'differenceUsd', 'money');
    need(report, 'changedDecisions', 'number');
    need(report, 'undecidedRequests', 'number');
    need(report, 'undecodableRecords', 'number');
    for (const side of WHATIF_SIDES) {
      const before = problems.length;
      need(report, side, 'object');
      if (problems.length > before) {
        continue;
      }
      const totals = report[side];
      need(totals, 'costUsd', 'money', side);
      for (const [name] of WHATIF_COUNTS) {
        need(totals, name, 'number', side);
      }
      need(totals, 'served', 'number', side);
      need(totals, 'atOrAboveMinimumTierPct', 'number', side);
      need(totals, 'budgetLevels', 'array', side);
    }
    if (problems.length > 0) {
      throw new Error('not a ./tiergate whatif --json report: ' + problems.join(', '));
    }
    return report;
  }

  /** The attributes of one checked what-if element (DOM contract in README.md): data-value is the report's value verbatim. */
  function whatIfAttrs(side, name, value, extra) {
    const attrs = Object.assign({ 'data-section': 'whatif', 'data-side': side, 'data-field': name }, extra || {});
    if (value !== null && value !== undefined) {
      attrs['data-value'] = String(value);
    }
    return attrs;
  }

  function whatIfCell(side, name, value, text, extra) {
    return el('td', whatIfAttrs(side, name, value, extra), text !== undefined ? text : String(value));
  }

  /** Two bars, recorded over replayed, each a share (0–100) of the row's scale. */
  function pairBars(recordedPct, replayedPct) {
    const td = el('td', { class: 'bar-col pair' });
    [['recorded', recordedPct], ['replayed', replayedPct]].forEach(([side, pct]) => {
      const track = el('div', { class: 'bar-track' });
      const fill = el('div', { class: 'bar side-' + side });
      fill.style.width = Math.max(0, Math.min(100, pct)).toFixed(1) + '%';
      track.appendChild(fill);
      td.appendChild(track);
    });
    return td;
  }

  function whatIfSummary(report, fileName) {
    const p = el('p', { class: 'whatif-summary' });
    const part = (name, value) => p.appendChild(el('span', whatIfAttrs('report', name, value), String(value)));
    p.appendChild(document.createTextNode('Replay of '));
    part('requests', report.requests);
    p.appendChild(document.createTextNode(' requests with table '));
    part('table', report.table);
    p.appendChild(document.createTextNode(', budgets '));
    part('budget', report.budget);
    p.appendChild(document.createTextNode(': '));
    part('changedDecisions', report.changedDecisions);
    p.appendChild(document.createTextNode(' decisions changed, cost difference '));
    part('differenceUsd', report.differenceUsd);
    p.appendChild(document.createTextNode(' USD. Left out: '));
    part('undecidedRequests', report.undecidedRequests);
    p.appendChild(document.createTextNode(' requests never decided, '));
    part('undecodableRecords', report.undecodableRecords);
    p.appendChild(document.createTextNode(' records that do not decode. File: '));
    part('file', fileName);
    p.appendChild(document.createTextNode('.'));
    const difference = compareDecimals(report.differenceUsd, '0');
    p.querySelector('[data-field="differenceUsd"]').className = difference < 0 ? 'cheaper' : difference > 0 ? 'dearer' : '';
    return p;
  }

  function whatIfTable(report) {
    const table = el('table', { id: 'whatif-sides' });
    const head = el('thead');
    const hr = el('tr');
    ['', 'recorded', 'replayed', 'recorded (upper bar) / replayed (lower bar)'].forEach((text, i) =>
      hr.appendChild(el('th', { class: i === 1 || i === 2 ? 'num' : i === 3 ? 'bar-col' : '' }, text)));
    head.appendChild(hr);
    table.appendChild(head);
    const body = el('tbody');
    const a = report.recorded;
    const b = report.replayed;
    const row = (labelText, name, recordedText, replayedText, recordedPct, replayedPct) => {
      const tr = el('tr', { 'data-metric': name });
      tr.appendChild(label(labelText));
      tr.appendChild(whatIfCell('recorded', name, a[name], recordedText, { class: 'num' }));
      tr.appendChild(whatIfCell('replayed', name, b[name], replayedText, { class: 'num' }));
      tr.appendChild(pairBars(recordedPct, replayedPct));
      body.appendChild(tr);
    };
    const dearer = compareDecimals(a.costUsd, b.costUsd) >= 0 ? a.costUsd : b.costUsd;
    row('cost (USD)', 'costUsd', a.costUsd, b.costUsd, sharePct(a.costUsd, dearer), sharePct(b.costUsd, dearer));
    for (const [name, text] of WHATIF_COUNTS) {
      row(text, name, undefined, undefined, sharePct(a[name], report.requests), sharePct(b[name], report.requests));
    }
    row('at or above minimum tier', 'atOrAboveMinimumTierPct',
      a.atOrAboveMinimumTierPct.toFixed(2) + '% of ' + a.served, b.atOrAboveMinimumTierPct.toFixed(2) + '% of ' + b.served,
      a.atOrAboveMinimumTierPct, b.atOrAboveMinimumTierPct);
    row('served', 'served', undefined, undefined, sharePct(a.served, report.requests), sharePct(b.served, report.requests));
    table.appendChild(body);
    return table;
  }

  /** Per side, one bar split into cloud / local / deferred / rejected shares of the requests. */
  function whatIfMix(report) {
    const box = el('div', { class: 'whatif-mix' });
    box.appendChild(el('h3', {}, 'Request mix'));
    for (const side of WHATIF_SIDES) {
      const totals = report[side];
      const line = el('div', { class: 'mix-line' });
      line.appendChild(el('span', { class: 'strip-label' }, side));
      const stack = el('div', { class: 'mix-stack' });
      for (const [name] of WHATIF_COUNTS) {
        if (totals[name] > 0) {
          const segment = el('div', { class: 'mix-' + name, title: name + ': ' + totals[name] });
          segment.style.width = sharePct(totals[name], report.requests).toFixed(2) + '%';
          stack.appendChild(segment);
        }
      }
      line.appendChild(stack);
      box.appendChild(line);
    }
    const legend = el('div', { class: 'legend' });
    for (const [name] of WHATIF_COUNTS) {
      legend.appendChild(el('span', { class: 'key mix-' + name }));
      legend.appendChild(el('span', {}, name));
    }
    box.appendChild(legend);
    return box;
  }

  /** The two budget-level series as aligned strips: stretch i of both covers the same part of the window. */
  function whatIfStrips(report) {
    const box = el('div', { class: 'whatif-strips' });
    box.appendChild(el('h3', {}, 'Budget levels over time'));
    const points = Math.max(report.recorded.budgetLevels.length, report.replayed.budgetLevels.length, 1);
    for (const side of WHATIF_SIDES) {
      const levels = report[side].budgetLevels;
      const line = el('div', { class: 'strip-line' });
      line.appendChild(el('span', { class: 'strip-label' }, side));
      const strip = el('div', whatIfAttrs(side, 'budgetLevels', levels.join(','), { class: 'strip' }));
      strip.style.gridTemplateColumns = 'repeat(' + points + ', 1fr)';
      levels.forEach((level, i) => strip.appendChild(el('span', {
        class: 'strip-cell level-' + level,
        title: 'stretch ' + (i + 1) + ' of ' + points + ': ' + level,
      }, LEVEL_LETTERS[level] || '?')));
      line.appendChild(strip);
      box.appendChild(line);
    }
    box.appendChild(el('p', { class: 'hint' },
      'The window from the first to the last replayed decision in up to 10 equal stretches; each shows the most ' +
      'restrictive level a decision saw in it (N normal, C conserve, K critical only, X exhausted).'));
    return box;
  }

  function showWhatIfProblem(fileName, message) {
    const problem = document.getElementById('whatif-problem');
    const target = document.getElementById('whatif-report');
    problem.textContent = fileName + ': ' + message;
    problem.setAttribute('data-value', message);
    problem.hidden = false;
    target.hidden = true;
    target.replaceChildren();
  }

  function showWhatIf(text, fileName) {
    const problem = document.getElementById('whatif-problem');
    const target = document.getElementById('whatif-report');
    let report;
    try {
      try {
        report = JSON.parse(text);
      } catch (e) {
        throw new Error('not JSON: ' + e.message);
      }
      checkWhatIf(report);
    } catch (e) {
      showWhatIfProblem(fileName, e.message);
      return;
    }
    problem.hidden = true;
    problem.textContent = '';
    problem.removeAttribute('data-value');
    target.replaceChildren(whatIfSummary(report, fileName), whatIfTable(report), whatIfMix(report), whatIfStrips(report));
    target.hidden = false;
  }

  function loadWhatIfFile(file) {
    if (!file) {
      return;
    }
    file.text().then((text) => showWhatIf(text, file.name), (e) => showWhatIfProblem(file.name, 'could not be read: ' + e.message));
  }

  function initWhatIf() {
    const input = document.getElementById('whatif-file');
    const zone = document.getElementById('whatif-drop');
    if (!input || !zone) {
      return;
    }
    input.addEventListener('change', () => loadWhatIfFile(input.files[0]));
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('dragging');
      loadWhatIfFile(event.dataTransfer && event.dataTransfer.files[0]);
    });
  }

  // ---------- polling ----------

  function showError(message) {
    const banner = document.getElementById('error-banner');
    banner.textContent = 'Ledger API unavailable — ' + message +
      (document.body.dataset.loaded === 'true' ? ' (showing the last good data)' : '');
    banner.hidden = false;
  }

  function clearError() {
    const banner = document.getElementById('error-banner');
    banner.hidden = true;
    banner.textContent = '';
  }

  async function refresh() {
    try {
      const [statuses, totals, windows, backends] = await Promise.all([
        getJson('/ledger/status'),
        getJson('/ledger/totals'),
        getJson('/ledger/windows?scope=' + encodeURIComponent(GLOBAL) + '&kind=DAY'),
        getJson('/ledger/backends'),
      ]);
      render(statuses, totals, windows);
      renderBackends(backends);
      clearError();
      const now = new Date().toISOString();
      document.getElementById('refreshed').textContent = 'updated ' + now.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
      document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || '0') + 1);
      document.body.dataset.refreshedAt = now;
      document.body.dataset.loaded = 'true';
    } catch (e) {
      showError(e.message);
    } finally {
      window.setTimeout(refresh, POLL_MS);
    }
  }

  initWhatIf();
  refresh();
})();
