import { z } from 'zod';
import { cleanText } from './text.js';

/**
 * 机器派单's first step: the admitted item suggested from a matter described in the reporter's
 * own words. Body of `POST /api/v1/classify`.
 */
export const classifyRequestSchema = z.object({ text: cleanText({ max: 4000, multiline: true }) }).strict();
export type ClassifyRequest = z.infer<typeof classifyRequestSchema>;

/** One suggested item: its score (0–1, the model's confidence) and the words that drove it. */
export interface ItemSuggestion {
  itemCode: string;
  itemName: string;
  category: string;
  score: number;
  /** The words of the text that weighed most for this item, strongest first. */
  words: string[];
}

/** Answer of `POST /api/v1/classify`: best first, at least three when the catalog has three items. */
export interface ClassifyResponse {
  suggestions: ItemSuggestion[];
  /** Below this score of the best suggestion a person chooses the item (the hotline adapter waits). */
  threshold: number;
}
