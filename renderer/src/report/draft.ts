import { z } from 'zod';

/** A photo of the form: uploaded (its id) or not yet, with a small preview to show again after a reload. */
const photoSchema = z.object({ id: z.string().nullable(), name: z.string(), preview: z.string() });
export type DraftPhoto = z.infer<typeof photoSchema>;

const placeSchema = z.object({ lon: z.number(), lat: z.number(), from: z.enum(['gps', 'map']), accuracy: z.number().nullable(), names: z.array(z.string()) });
export type DraftPlace = z.infer<typeof placeSchema>;

const draftSchema = z.object({
  /** The form token the photos were uploaded under (they only go with a report sent under it). */
  formToken: z.string().nullable(),
  description: z.string(),
  itemCode: z.string(),
  place: placeSchema.nullable(),
  photos: z.array(photoSchema),
  name: z.string(),
  phone: z.string(),
});
export type Draft = z.infer<typeof draftSchema>;

export const EMPTY_DRAFT: Draft = { formToken: null, description: '', itemCode: '', place: null, photos: [], name: '', phone: '' };

export const DRAFT_KEY = 'gridcommand.report.draft.v1';

/**
 * What the resident has typed, kept in `sessionStorage` as they type: an error, a reload, a lost
 * connection or WeChat reopening the page loses nothing. Only this tab keeps it, and it is
 * dropped once the report is sent (a shared phone shows the next person an empty form).
 */
export function loadDraft(storage: Pick<Storage, 'getItem'> | null): Draft {
  try {
    const raw = storage?.getItem(DRAFT_KEY);
    if (!raw) return EMPTY_DRAFT;
    const parsed = draftSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : EMPTY_DRAFT;
  } catch {
    return EMPTY_DRAFT;
  }
}

export function saveDraft(storage: Pick<Storage, 'setItem'> | null, draft: Draft): void {
  try {
    storage?.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // full (previews are small, but a phone may be tight) or private mode: retry without previews
    try {
      storage?.setItem(DRAFT_KEY, JSON.stringify({ ...draft, photos: draft.photos.map((p) => ({ ...p, preview: '' })) }));
    } catch {
      // nothing more to do: the form still holds it while the page is open
    }
  }
}

export function clearDraft(storage: Pick<Storage, 'removeItem'> | null): void {
  try {
    storage?.removeItem(DRAFT_KEY);
  } catch {
    // private mode
  }
}
