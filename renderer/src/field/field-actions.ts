import type { EventRecord, EventIntake } from '../../../shared/contracts/events.js';
import type { Action } from '../../../shared/contracts/workflow.js';
import { MACHINE } from '../../../shared/domain/workflow.js';
import type { FieldServices } from './field-services';
import { enqueue, newKey, pendingActionsFor } from './outbox';
import { toWgs84 } from './position';
import { effectiveStatus } from './tasks';

/** Photos larger than this are scaled down before they are queued (a slow link sends less). */
const MAX_PHOTO_BYTES = 1_500_000;
const MAX_EDGE = 1920;

/** A photo as it will be sent: big camera images are scaled to 1920 px JPEG; small ones go as they are. */
export async function preparePhoto(file: File): Promise<Blob> {
  if (file.size <= MAX_PHOTO_BYTES || typeof createImageBitmap !== 'function') return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    return file;
  }
}

async function storePhotos(services: FieldServices, key: string, files: readonly File[]) {
  const out = [];
  for (const [i, file] of files.entries()) {
    const blob = await preparePhoto(file);
    const photoKey = `${key}-${i}`;
    await services.photos.put(photoKey, blob);
    const name = blob === file ? file.name || `photo-${i + 1}.jpg` : (file.name || `photo-${i + 1}`).replace(/\.[^.]*$/, '') + '.jpg';
    out.push({ key: photoKey, name, type: blob.type || 'image/jpeg', size: blob.size });
  }
  return out;
}

export interface ActionInput {
  note?: string;
  result?: string;
  reason?: string;
  photos?: readonly File[];
}

/** When the worker did it, on the server's clock as the phone estimates it (server-clock.ts). */
function madeAt(services: FieldServices): string {
  return new Date(services.clock.now()).toISOString();
}

/**
 * Queues a case action with the time it was made, the phone's position and its photos, then
 * lets the sender try at once. It is on screen as pending (待发送) until the server confirms.
 */
export async function queueAction(services: FieldServices, event: EventRecord, action: Action, input: ActionInput = {}): Promise<void> {
  const user = services.session.get().active?.user;
  if (!user) return;
  const key = newKey();
  // the moment of the tap, before waiting for a position fix
  const body: Record<string, unknown> = { action, madeAt: madeAt(services) };
  const fix = await services.positionForAction();
  if (input.result) body.result = input.result;
  if (input.reason) body.reason = input.reason;
  if (input.note) body.note = input.note;
  if (fix) body.position = toWgs84(fix);
  const photos = await storePhotos(services, key, input.photos ?? []);
  const from = effectiveStatus(event.status, pendingActionsFor(services.outbox.get(), event.id));
  services.outbox.update((list) =>
    enqueue(
      list,
      { key, userId: user.id, kind: 'action', eventId: event.id, teamId: user.teamId, label: action, subject: event.itemName, body, photos, expectStatus: MACHINE[from][action] ?? null },
      Date.now(),
    ),
  );
  void services.sender.run();
}

/** A new event (上报), queued like an action: photos first, then the intake with its Idempotency-Key and the time it was made. */
export async function queueIntake(services: FieldServices, intake: EventIntake, photos: readonly File[], subject: string): Promise<void> {
  const user = services.session.get().active?.user;
  if (!user) return;
  const key = newKey();
  const body = { ...intake, madeAt: madeAt(services) };
  const stored = await storePhotos(services, key, photos);
  services.outbox.update((list) =>
    enqueue(list, { key, userId: user.id, kind: 'intake', eventId: null, teamId: user.teamId, label: 'intake', subject, body, photos: stored, expectStatus: null }, Date.now()),
  );
  void services.sender.run();
}
