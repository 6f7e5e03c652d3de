import { createSocket, type Socket } from 'node:dgram';
import { hostname } from 'node:os';
import { isIP } from 'node:net';

/** Where anchors are copied: a syslog collector listening on UDP. */
export interface SyslogTarget {
  host: string;
  port: number;
}

/** Parses `HOST:PORT` (`[v6]:PORT` for IPv6); throws a message fit for a usage error. */
export function parseSyslogTarget(text: string): SyslogTarget {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) throw new Error(`the syslog target must be HOST:PORT, e.g. 10.0.0.5:514 (got "${text}")`);
  return { host: m[1] ?? m[2]!, port };
}

// facility 13 is "log audit" (RFC 5424 §6.2.1), severity 5 "notice": <13 * 8 + 5>
const PRI = 13 * 8 + 5;

/** One RFC 5424 message: header, no structured data, the text as the message. */
export function syslogLine(at: Date, appName: string, msgId: string, text: string, host = hostname()): string {
  const field = (s: string) => s.replace(/[^\x21-\x7e]/g, '').slice(0, 48) || '-';
  return `<${PRI}>1 ${at.toISOString()} ${field(host)} ${field(appName)} ${process.pid} ${field(msgId)} - ${text}`;
}

/**
 * Sends lines to a syslog collector over UDP, fire and forget: a lost datagram must not stop
 * the server, so failures go to `onError`. `close()` waits for the datagrams already handed over.
 */
export class SyslogSender {
  private readonly socket: Socket;
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly target: SyslogTarget,
    private readonly onError: (err: Error) => void,
  ) {
    this.socket = createSocket(isIP(target.host) === 6 ? 'udp6' : 'udp4');
    this.socket.on('error', onError);
    this.socket.unref();
  }

  send(line: string): void {
    const sent = new Promise<void>((done) => {
      this.socket.send(Buffer.from(line, 'utf8'), this.target.port, this.target.host, (err) => {
        if (err) this.onError(err);
        done();
      });
    });
    this.pending.add(sent);
    void sent.then(() => this.pending.delete(sent));
  }

  async close(): Promise<void> {
    await Promise.all(this.pending);
    await new Promise<void>((done) => this.socket.close(() => done()));
  }
}
