// The notify step: POST a JSON summary of a release (or apply) to a Slack-compatible incoming webhook. The URL
// is a secret, so kforge.yaml only names the environment variable that holds it. Notifying is best effort: every
// failure is a warning, never a failed release.
import type { Logger } from '../log.js';

export interface NotifySummary {
  /** What ran: `ci`, `release`, `apply`. */
  event: string;
  outcome: 'released' | 'failed' | 'applied' | 'unchanged';
  environments: string[];
  /** Image references the environments use (`<repository>:<tag>[@<digest>]`). */
  images: string[];
  sourceCommit?: string;
  branch?: string;
  releaseBranch?: string;
  releaseCommit?: string;
  error?: string;
}

export interface WebhookPayload {
  /** The field Slack's incoming webhooks show; Mattermost and Rocket.Chat read the same. */
  text: string;
  kforge: NotifySummary;
}

const short = (c: string | undefined) => c?.slice(0, 12);

/** The message body. Pure. */
export function webhookPayload(s: NotifySummary): WebhookPayload {
  const envs = s.environments.length ? s.environments.join(', ') : 'no environment';
  const from = s.sourceCommit ? ` from ${short(s.sourceCommit)}${s.branch ? ` (${s.branch})` : ''}` : '';
  let head: string;
  if (s.outcome === 'failed') head = `kforge ${s.event} failed for ${envs}${from}: ${s.error ?? 'unknown error'}`;
  else if (s.outcome === 'released') head = `kforge released ${envs}${from} to ${s.releaseBranch ?? 'the release branch'}${s.releaseCommit ? ` as ${short(s.releaseCommit)}` : ''}`;
  else if (s.outcome === 'applied') head = `kforge applied ${envs}${from}`;
  else head = `kforge ${s.event}: nothing changed for ${envs}${from}`;
  const images = s.images.length ? `\nimages:\n${s.images.map((i) => `• ${i}`).join('\n')}` : '';
  return { text: head + images, kforge: s };
}

export interface NotifyOptions {
  /** kforge.yaml notify.webhook */
  webhook: { urlEnv: string } | undefined;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  timeoutMs?: number;
}

/** Sends the summary when a webhook is configured. Resolves to whether it was delivered; never rejects. */
export async function notifyWebhook(summary: NotifySummary, opts: NotifyOptions): Promise<boolean> {
  if (!opts.webhook) return false;
  const url = opts.env[opts.webhook.urlEnv];
  if (!url) {
    opts.logger.warn(`notify: $${opts.webhook.urlEnv} is not set, so no notification was sent (kforge.yaml notify.webhook.urlEnv)`);
    return false;
  }
  // The URL carries the webhook's secret token: never print it, only its host.
  let host = 'the webhook';
  try {
    host = new URL(url).host;
  } catch {
    opts.logger.warn(`notify: $${opts.webhook.urlEnv} is not a URL, so no notification was sent`);
    return false;
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(webhookPayload(summary)),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) {
      opts.logger.warn(`notify: ${host} answered HTTP ${res.status}; the ${summary.event} itself is unaffected`);
      return false;
    }
    opts.logger.verbose(`notify: sent the summary to ${host}`);
    return true;
  } catch (e) {
    const why = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    opts.logger.warn(`notify: could not reach ${host}: ${why}; the ${summary.event} itself is unaffected`);
    return false;
  }
}
