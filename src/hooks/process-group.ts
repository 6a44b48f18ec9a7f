import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether a process of group `pgid` still runs. Zombies do not count: they are dead, only not yet
 * reaped, and in containers whose init reaps lazily they linger for a second or more, which
 * `kill(-pgid, 0)` cannot tell from life. So on Linux /proc is read; elsewhere kill(0) decides.
 */
export function processGroupAlive(pgid: number): boolean {
  if (process.platform === 'linux') {
    const alive = livingGroupMembersFromProc(pgid);
    if (alive !== undefined) return alive;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function livingGroupMembersFromProc(pgid: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended while we looked
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so cut at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}
