/**
 * The ceiling: a bare kafkajs consumer that reads the topic and discards every record (touching
 * each value so nothing is skipped), with the same consumer defaults the forwarder uses. Run as a
 * child process by throughput.ts; prints one JSON line per event on stdout:
 *   {"event":"joined"}  {"event":"done","messages":N,"bytes":B}
 * Env: KAFKA_BROKER, KAFKA_TOPIC, KAFKA_GROUP_ID, BARE_EXPECT (messages to read before "done").
 */
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const expect = Number(process.env.BARE_EXPECT);
  const kafka = new Kafka({
    clientId: 'bench-bare-consumer',
    brokers: (process.env.KAFKA_BROKER ?? '').split(','),
    logLevel: logLevel.WARN,
  });
  const consumer = kafka.consumer({ groupId: process.env.KAFKA_GROUP_ID ?? 'bench-bare', allowAutoTopicCreation: false });
  let messages = 0;
  let bytes = 0;
  let finished = false;
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write(`${JSON.stringify({ event: 'joined' })}\n`));
  await consumer.connect();
  await consumer.subscribe({ topics: [process.env.KAFKA_TOPIC ?? ''], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) bytes += message.value?.length ?? 0;
      messages += batch.messages.length;
      if (!finished && messages >= expect) {
        finished = true;
        process.stdout.write(`${JSON.stringify({ event: 'done', messages, bytes })}\n`);
        setImmediate(() => void consumer.disconnect().finally(() => process.exit(0)));
      }
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bare consumer: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
