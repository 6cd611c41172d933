import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { reduceServiceAccount } from './k8s-service-account.js';
import { isJsonObject } from '../shared/json.js';

/** A watch that ended this soon after it opened, without an event, counts as a quick close. */
const QUICK_CLOSE_MS = 1000;
/**
 * How long the API server keeps each watch open (`timeoutSeconds`): it then ends it, and the informer
 * resumes at its resourceVersion. client-go's reflectors ask for 5 to 10 minutes; 5 it is.
 */
export const WATCH_TIMEOUT_SECONDS = 300;
/**
 * A watch with no line at all for this long is dead (a proxy or NAT dropped the connection without a
 * FIN, or the server hung): the server would have ended it at `timeoutSeconds`, and bookmarks come
 * well before. It is aborted and resumed, not left to TCP keepalive.
 */
export const WATCH_SILENCE_MS = (WATCH_TIMEOUT_SECONDS + 60) * 1000;

/**
 * The client library's `Watch`, as its informer (`ListWatch`) uses it, with four changes:
 * - each ADDED/MODIFIED/DELETED object is reduced to what the webhook reads (`reduceServiceAccount`),
 *   and a malformed one is dropped, so the informer's cache never holds more, and never throws on it;
 * - bookmarks are asked for (`allowWatchBookmarks`), so a reconnect resumes instead of relisting;
 * - a failure to even start (the token file unreadable, say) is reported through `done`, as a
 *   connection error is, instead of a rejected promise that nobody awaits;
 * - after a watch the server closed at once, the next one waits `reconnectDelayMs`, so a server that
 *   keeps closing cannot make the informer reconnect in a tight loop;
 * - each watch asks the server to end it after `WATCH_TIMEOUT_SECONDS`, and one that stays silent for
 *   `silenceMs` is aborted and ended as if the server had closed it (`onSilence` is told), so the
 *   informer resumes.
 * `close` aborts every open watch and refuses new ones.
 */
export class ReducingWatch extends Watch {
  private readonly open = new Set<AbortController>();
  private closed = false;
  private quickCloses = 0;

  constructor(
    config: KubeConfig,
    private readonly prefix: string,
    private readonly reconnectDelayMs: number,
    /** Called when a watch is established (an answer 200 arrived). */
    private readonly onOpen: () => void,
    /** Called when a silent watch is given up. */
    private readonly onSilence: (silentMs: number) => void = () => undefined,
    private readonly silenceMs: number = WATCH_SILENCE_MS,
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.quickCloses > 0) {
      await new Promise((resolve) =>
        setTimeout(resolve, this.reconnectDelayMs * Math.min(this.quickCloses, 30)),
      );
    }
    if (this.closed) return new AbortController();
    const opened = Date.now();
    let events = 0;
    let finished = false;
    let controller: AbortController | undefined;
    let lastLine = Date.now();
    let silence: NodeJS.Timeout | undefined;
    const finish = (err: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(silence);
      if (controller !== undefined) this.open.delete(controller);
      const quick = err === null && events === 0 && Date.now() - opened < QUICK_CLOSE_MS;
      this.quickCloses = quick ? this.quickCloses + 1 : 0;
      done(err);
    };
    const reduce = (phase: string, object: unknown, raw: unknown) => {
      events++;
      lastLine = Date.now();
      if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') {
        const account = reduceServiceAccount(object, this.prefix);
        if (account !== undefined) callback(phase, account, raw);
      } else if ((phase === 'ERROR' || phase === 'BOOKMARK') && isJsonObject(object)) {
        // ERROR carries a Status (410 Gone makes the informer list again); BOOKMARK a resourceVersion.
        callback(phase, object, raw);
      }
    };
    try {
      controller = await super.watch(
        path,
        { timeoutSeconds: WATCH_TIMEOUT_SECONDS, ...queryParams, allowWatchBookmarks: true },
        reduce,
        finish,
      );
    } catch (error) {
      finish(error);
      return new AbortController();
    }
    if (!finished) {
      this.open.add(controller);
      if (this.closed) controller.abort();
      else {
        this.onOpen();
        // One timer per watch, re-armed for what is left rather than reset on every line.
        const opened = controller;
        const check = () => {
          const quiet = Date.now() - lastLine;
          if (quiet < this.silenceMs) {
            silence = setTimeout(check, this.silenceMs - quiet);
            return;
          }
          this.onSilence(quiet);
          opened.abort();
          finish(null);
        };
        silence = setTimeout(check, this.silenceMs);
      }
    }
    return controller;
  }

  /** Aborts the open watches; no new one starts. */
  close(): void {
    this.closed = true;
    for (const controller of this.open) controller.abort();
    this.open.clear();
  }
}
