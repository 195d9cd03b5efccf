/** A sink that records deliveries and can be told to fail the next sends. */
import type { Delivery, Sink } from '../../src/route/sink.js';
import type { Platform } from '../../src/store/types.js';

export class RecordingSink implements Sink {
  readonly deliveries: (Delivery & { at: number })[] = [];
  /** Every send begun, delivered or not (in flight, failed). */
  readonly attempts: Delivery[] = [];
  private readonly failures: Error[] = [];
  /** When set, sends hang until released (a send in flight). */
  hold: Promise<void> | undefined;

  constructor(readonly platform: Platform) {}

  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  async send(delivery: Delivery): Promise<void> {
    this.attempts.push(delivery);
    if (this.hold) await this.hold;
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.deliveries.push({ ...delivery, at: Date.now() });
  }

  /** Every alert delivered, in order. */
  get alerts() {
    return this.deliveries.flatMap((d) => d.alerts.map((a) => ({ ...a, destination: d.destination.id })));
  }
}
