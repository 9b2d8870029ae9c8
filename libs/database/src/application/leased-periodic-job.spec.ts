import { JobLease } from './job-lease';
import { LeasedPeriodicJob } from './leased-periodic-job';

function job(leader = true, run: () => Promise<string> = async () => 'done') {
  const lease = {
    tryAcquire: jest.fn(async () => leader),
    release: jest.fn(async () => undefined),
  };
  const errors: unknown[] = [];
  const runs = jest.fn(run);
  const instance = new LeasedPeriodicJob(lease as unknown as JobLease, {
    name: 'test-job',
    intervalMs: 1_000,
    run: runs,
    onError: (error) => errors.push(error),
  });
  return { instance, lease, runs, errors };
}

describe('LeasedPeriodicJob', () => {
  afterEach(() => jest.useRealTimers());

  it('runs only while it holds the lease, with a lease of at least 30 s', async () => {
    const leader = job();
    await expect(leader.instance.runOnce()).resolves.toEqual({ leader: true, result: 'done' });
    expect(leader.lease.tryAcquire).toHaveBeenCalledWith('test-job', leader.instance.holder, 30_000);
    const follower = job(false);
    await expect(follower.instance.runOnce()).resolves.toEqual({ leader: false });
    expect(follower.runs).not.toHaveBeenCalled();
  });

  it('runs at start, then every interval; a failing pass is reported and the loop goes on', async () => {
    jest.useFakeTimers();
    let calls = 0;
    const { instance, lease, runs, errors } = job(true, async () => {
      calls += 1;
      if (calls === 2) throw new Error('vendor down');
      return 'ok';
    });
    instance.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveBeenCalledTimes(2);
    expect(errors).toEqual([new Error('vendor down')]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveBeenCalledTimes(3);
    instance.setIntervalMs(100);
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toHaveBeenCalledTimes(4);
    await instance.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveBeenCalledTimes(4);
    expect(lease.release).toHaveBeenCalledWith('test-job', instance.holder);
  });

  it('shares one pass between concurrent runOnce calls', async () => {
    const { instance, runs } = job();
    await Promise.all([instance.runOnce(), instance.runOnce()]);
    expect(runs).toHaveBeenCalledTimes(1);
  });
});
