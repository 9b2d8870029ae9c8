import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Who owns an embedded PostgreSQL: the Rampart process that started it, written next to its data
 * directory. A postmaster still running on the directory while its owner is gone (a SIGKILL, an
 * OOM kill, a closed terminal) is an orphan of ours, which the next start may stop; a postmaster
 * without such a record, or whose owner lives, is somebody else's and is left alone.
 */
export interface PostmasterOwner {
  /** The Rampart process, and its start time (Linux /proc; null elsewhere) against pid reuse. */
  pid: number;
  startedAt: string | null;
  postmasterPid: number;
  watchdogPid: number | null;
}

export function ownerFile(dataDir: string): string {
  return `${dataDir}.owner.json`;
}

export function readOwner(dataDir: string): PostmasterOwner | null {
  try {
    const value = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as Partial<PostmasterOwner>;
    if (Number.isInteger(value.pid) && Number.isInteger(value.postmasterPid)) return value as PostmasterOwner;
  } catch {
    // missing or unreadable: no owner we know of
  }
  return null;
}

export function writeOwner(dataDir: string, owner: PostmasterOwner): void {
  writeFileSync(ownerFile(dataDir), `${JSON.stringify(owner)}\n`, { mode: 0o644 });
}

export function removeOwner(dataDir: string): void {
  rmSync(ownerFile(dataDir), { force: true });
}

/** The live postmaster on `dataDir` (from postmaster.pid), or null. */
export function livePostmaster(dataDir: string): number | null {
  const pidFile = `${dataDir}/postmaster.pid`;
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

/** Whether the recorded owner is still the process it was (alive, and not a reused pid). */
export function ownerAlive(owner: PostmasterOwner): boolean {
  if (!isAlive(owner.pid)) return false;
  const started = processStartTime(owner.pid);
  return owner.startedAt === null || started === null || started === owner.startedAt;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the `postgres` user when we run as root).
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Stops an orphaned postmaster: fast shutdown (SIGINT: clients cut, transactions rolled back,
 * a clean checkpoint), then immediate (SIGQUIT) if it lingers. Resolves when it is gone.
 */
export async function stopOrphan(pid: number, timeoutMs = 30_000): Promise<boolean> {
  for (const [signal, waitMs] of [
    ['SIGINT', timeoutMs],
    ['SIGQUIT', 10_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return !isAlive(pid);
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return !isAlive(pid);
}

// Runs as `node -e` (no file to find, from dist/ or from TypeScript sources alike). It waits for
// its stdin, a pipe from Rampart, to close: that happens when Rampart exits, however it exits.
// Rampart stops PostgreSQL itself and then this watchdog on a clean stop; otherwise the watchdog
// gives the postmaster a fast shutdown, so the database does not outlive Rampart for long.
const WATCHDOG = `
const [postmaster] = process.argv.slice(1).map(Number);
for (const signal of ['SIGHUP', 'SIGINT']) process.on(signal, () => undefined);
process.on('SIGTERM', () => process.exit(0));
const alive = () => { try { process.kill(postmaster, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
let ended = false;
const onEnd = () => {
  if (ended) return;
  ended = true;
  if (!alive()) process.exit(0);
  try { process.kill(postmaster, 'SIGINT'); } catch { process.exit(0); }
  const deadline = Date.now() + 30000;
  const timer = setInterval(() => {
    if (!alive()) process.exit(0);
    if (Date.now() > deadline) { try { process.kill(postmaster, 'SIGQUIT'); } catch {} process.exit(0); }
  }, 100);
  timer.unref();
  setTimeout(() => process.exit(0), 45000);
};
process.stdin.on('data', () => undefined);
for (const event of ['end', 'close', 'error']) process.stdin.on(event, onEnd);
`;

/** Starts the watchdog of {@link WATCHDOG} for `postmasterPid`; answers how to end it on a clean stop. */
export function startWatchdog(postmasterPid: number): { pid: number | null; end(): void } {
  const child = spawn(process.execPath, ['-e', WATCHDOG, String(postmasterPid)], {
    detached: true, // its own session: a terminal's SIGHUP or Ctrl-C does not reach it
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    pid: child.pid ?? null,
    end() {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
