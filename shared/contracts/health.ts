import type { ForwardingState } from './forwarding.js';

export interface HealthResponse {
  status: 'ok';
  version: string;
  /** Highest committed change sequence. */
  seq: number;
  uptimeSeconds: number;
  demo: boolean;
  serverTime: string;
  /** A county server forwarding its cases to the city's (`--forward-to`): how it stands. Absent otherwise. */
  forwarding?: ForwardingState;
}
