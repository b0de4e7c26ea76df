/**
 * One alert per episode: an episode opens with its first alert (a failure, the store degraded, the upstream down),
 * may escalate once per level (fatal), and closes with one recovery. Everything raised in between is a duplicate.
 * Several failure rows of one service (a hang, then a crash loop) are one episode until the last of them closes.
 * In memory: after a restart, recoveries of episodes opened before it are found through the delivery records.
 */
export interface Episode {
  openedAt: number;
  /** Failure ids (or any member keys) still open in this episode. */
  members: Set<string>;
  escalations: Set<string>;
}

export class Episodes {
  private readonly open = new Map<string, Episode>();

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  /** A failure id of the open episode, to link an escalation to (null when it has none). */
  firstMember(key: string): number | null {
    const first = this.open.get(key)?.members.values().next();
    return first && !first.done ? Number(first.value) : null;
  }

  /** Adds `member` to the episode `key`; true when this opened the episode (the one alert to send). */
  join(key: string, member: string, at: number): boolean {
    const ep = this.open.get(key);
    if (ep) {
      ep.members.add(member);
      return false;
    }
    this.open.set(key, { openedAt: at, members: new Set([member]), escalations: new Set() });
    return true;
  }

  /** True the first time `level` is reached within the episode (opening it if needed). */
  escalate(key: string, level: string, at: number): boolean {
    let ep = this.open.get(key);
    if (!ep) {
      ep = { openedAt: at, members: new Set(), escalations: new Set() };
      this.open.set(key, ep);
    }
    if (ep.escalations.has(level)) return false;
    ep.escalations.add(level);
    return true;
  }

  /**
   * `member` is over. Returns the episode when that closed it (the moment for the one recovery alert), undefined
   * while other members are still open or when no episode was open.
   */
  leave(key: string, member: string): Episode | undefined {
    const ep = this.open.get(key);
    if (!ep) return undefined;
    ep.members.delete(member);
    if (ep.members.size > 0) return undefined;
    this.open.delete(key);
    return ep;
  }

  /** Closes the whole episode (store recovered, upstream back); returns it if it was open. */
  close(key: string): Episode | undefined {
    const ep = this.open.get(key);
    this.open.delete(key);
    return ep;
  }
}
