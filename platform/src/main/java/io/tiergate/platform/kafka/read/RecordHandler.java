package io.tiergate.platform.kafka.read;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Takes one record of a reader, in offset order per partition. Throwing {@link
 * io.tiergate.platform.kafka.EventDecoder.RegistryUnavailableException} hands the record back: the
 * reader reads its partition again from it after a pause. Any other exception ends the read.
 */
@FunctionalInterface
public interface RecordHandler {
    void accept(ConsumerRecord<String, byte[]> record);
}
