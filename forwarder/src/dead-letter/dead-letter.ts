import type { IHeaders, Producer } from 'kafkajs';
import type { RetryPolicy } from '../common/retry-policy';

/** An undecodable record and where it came from. */
export interface DeadLetter {
  readonly value: Buffer | null;
  readonly key: Buffer | null;
  readonly headers?: IHeaders;
  readonly reason: string;
  readonly detail: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Writes undecodable records to the dead-letter topic unchanged, with why and from where in
 * headers, so they can be inspected and replayed. A record counts as handled only once the
 * dead-letter write is acknowledged by all in-sync replicas.
 */
export class DeadLetterWriter {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly retryPolicy: RetryPolicy,
    private readonly onRetry: (error: unknown) => void,
  ) {}

  async write(letter: DeadLetter, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.send({
          topic: this.topic,
          acks: -1,
          messages: [
            {
              key: letter.key,
              value: letter.value,
              headers: {
                ...letter.headers,
                'dlq-error-reason': letter.reason,
                'dlq-error': letter.detail.slice(0, 1000),
                'dlq-source-topic': letter.topic,
                'dlq-source-partition': String(letter.partition),
                'dlq-source-offset': letter.offset,
              },
            },
          ],
        });
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        this.onRetry(error);
        await new Promise((resolve) => setTimeout(resolve, this.retryPolicy.delayMs(attempt)));
      }
    }
  }
}
