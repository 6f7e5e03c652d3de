/**
 * A minimal Socket.IO v4 client (Engine.IO protocol 4 over a WebSocket, no polling, no
 * reconnection) for benchmarks that hold thousands of sockets in one process. socket.io-client
 * parses every frame's JSON; with 3,400 sockets on a 2-core machine the bench's own parsing, not
 * the server, would set the pace of both sides. This client looks only at a frame's
 * first bytes (event name, seq), so the server is what is measured. The product and the raw
 * baselines get the same client.
 */
import WebSocket from 'ws';

/** The first bytes of a frame as text: enough for the event name and a leading `"seq":N`. */
const head = (data: Buffer) => data.toString('latin1', 0, Math.min(data.length, 96));

const EVENT_NAME = /^42\d*\["([^"]+)"/;
const SEQ = /"seq":(\d+)/;

/** The `seq` of an `event:changed` frame (its payload starts with it), or -1. */
export function seqOf(data: Buffer): number {
  const m = SEQ.exec(head(data));
  return m ? Number(m[1]) : -1;
}

export interface LightSocketOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:1234/`. */
  url: string;
  /** The handshake's `auth` (token, lastSeq). */
  auth?: Record<string, unknown>;
  /** Every event the server emits: its name and the raw frame (not parsed). */
  onEvent?: (name: string, data: Buffer) => void;
}

export class LightSocket {
  private readonly ws: WebSocket;
  private nextAck = 0;
  private readonly acks = new Map<number, (data: Buffer) => void>();
  /** Resolves once the namespace accepted the handshake; rejects on a connect error or close before it. */
  readonly connected: Promise<void>;
  closed = false;

  constructor(private readonly options: LightSocketOptions) {
    const url = new URL('socket.io/?EIO=4&transport=websocket', options.url.replace(/^http/, 'ws'));
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.connected = new Promise<void>((ok, fail) => {
      this.ws.on('message', (raw) => {
        // text frames arrive as one Buffer (binaryType 'nodebuffer', the default)
        const data = raw as Buffer;
        const type = data[0];
        if (type === 0x32 /* 2: ping */) {
          this.ws.send('3');
          return;
        }
        if (type === 0x30 /* 0: open */) {
          this.ws.send(`40${JSON.stringify(options.auth ?? {})}`);
          return;
        }
        if (type !== 0x34 /* 4: message */) return;
        const sub = data[1];
        if (sub === 0x32 /* 2: event */) {
          const name = EVENT_NAME.exec(head(data))?.[1];
          if (name) this.options.onEvent?.(name, data);
        } else if (sub === 0x33 /* 3: ack */) {
          const id = Number(/^43(\d+)/.exec(head(data))?.[1]);
          const done = this.acks.get(id);
          this.acks.delete(id);
          done?.(data);
        } else if (sub === 0x30 /* 0: connected */) {
          ok();
        } else if (sub === 0x34 /* 4: connect error */) {
          fail(new Error(`connect_error ${data.toString()}`));
        }
      });
      this.ws.on('error', (err) => fail(err));
      this.ws.on('close', () => {
        this.closed = true;
        fail(new Error('closed before connecting'));
      });
    });
    // a caller that never awaits `connected` must not see an unhandled rejection
    this.connected.catch(() => undefined);
  }

  /** Emits an event with an acknowledgement; resolves with the raw ack frame. */
  emitWithAck(name: string, payload: unknown): Promise<Buffer> {
    const id = this.nextAck++;
    return new Promise<Buffer>((ok) => {
      this.acks.set(id, ok);
      this.ws.send(`42${id}${JSON.stringify([name, payload])}`);
    });
  }

  close(): void {
    this.closed = true;
    this.ws.terminate();
  }
}
