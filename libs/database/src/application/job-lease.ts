/**
 * A named, time-limited lease so that a job runs in one replica at a time. The holder renews it on
 * every run; when the holder dies the lease lapses after its TTL and another replica takes over.
 */
export abstract class JobLease {
  /** Takes or renews the lease; false while another holder's lease is still valid. */
  abstract tryAcquire(job: string, holder: string, ttlMs: number): Promise<boolean>;
  abstract release(job: string, holder: string): Promise<void>;
}
