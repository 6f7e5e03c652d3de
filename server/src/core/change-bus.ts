import { EventEmitter } from 'node:events';
import type { EventChangedPayload } from '../../../shared/contracts/socket.js';

/**
 * In-process bus between services and transports. Services publish only after their
 * transaction has committed, so a push never announces something the database lacks.
 */
export class ChangeBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(change: EventChangedPayload): void {
    this.emitter.emit('event:changed', change);
  }

  onEventChanged(listener: (change: EventChangedPayload) => void): () => void {
    this.emitter.on('event:changed', listener);
    return () => this.emitter.off('event:changed', listener);
  }
}
