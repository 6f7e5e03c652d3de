import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { CatalogRepo } from '../catalog/catalog.repo.js';
import type { ClassifyRepo } from './classify.repo.js';
import { ItemClassifier, namePhrases } from './item-classifier.js';
import { Segmenter } from './segmenter.js';

/**
 * Below this confidence of the best suggestion a person picks the item: the hotline adapter
 * leaves the case waiting, the forms show the suggestions without preselecting one. Chosen from
 * the measured precision (docs/CLASSIFIER.md): at or above it the best suggestion was right for
 * 98 % of the realistic test texts (95 % with the keywords those texts use taken out of the catalog).
 */
export const SUGGESTION_THRESHOLD = 0.5;

/** How many suggestions an answer carries unless asked otherwise. */
export const SUGGESTION_COUNT = 3;

interface Model {
  catalogVersion: number;
  items: CatalogItem[];
  classifier: ItemClassifier;
  /** Cases already learnt, so a repeated `closed` announcement is not counted twice. */
  learnt: Set<string>;
}

/**
 * The admitted item from a matter described in the reporter's own words (机器派单's first step).
 * Trained on the active catalog (names, keywords, category) and on the county's closed cases.
 * The model is built on first use, not at every start (segmenting every closed case costs a
 * fraction of a second that a server which never classifies, or a test, should not pay), rebuilt
 * whenever another catalog version has become active (checked on every call, one indexed read),
 * and learns each case as it closes (`caseChanged`, wired to the bus in app.ts). Only items of the
 * active catalog are suggested.
 */
export class ClassifyService {
  readonly threshold = SUGGESTION_THRESHOLD;
  private segmenter: Segmenter | null = null;
  private model: Model | null = null;

  constructor(private readonly deps: { catalog: CatalogRepo; repo: ClassifyRepo }) {}

  /** The `k` most likely items of the active catalog, best first (fewer only when the catalog has fewer). */
  suggest(text: string, k: number = SUGGESTION_COUNT): ItemSuggestion[] {
    const model = this.current();
    return model.classifier.suggest(text, model.items, k);
  }

  /** Learns a case the moment it closes (a `case:changed` of the bus); other changes are ignored. */
  caseChanged(event: EventRecord): void {
    if (event.status !== 'closed' || !this.model || this.model.learnt.has(event.id)) return;
    try {
      this.model.classifier.addCase(event.itemCode, event.description);
      this.model.learnt.add(event.id);
    } catch {
      // A bus listener must not throw. Dropping the model is safe: the next suggestion rebuilds
      // it from the database, this case included.
      this.model = null;
    }
  }

  /** Builds the model now, ahead of the first request (the bench, or a server that should not make its first caller wait). */
  warm(): void {
    this.current();
  }

  private current(): Model {
    const active = this.deps.catalog.active();
    if (this.model?.catalogVersion === active.version) return this.model;
    this.segmenter ??= new Segmenter();
    this.segmenter.addWords(active.items.flatMap((i) => [...namePhrases(i.name), ...(i.keywords ?? [])]));
    const classifier = new ItemClassifier(this.segmenter);
    classifier.addCatalog(active.items);
    const learnt = new Set<string>();
    for (const c of this.deps.repo.closedCases()) {
      learnt.add(c.id);
      classifier.addCase(c.itemCode, c.description);
    }
    this.model = { catalogVersion: active.version, items: active.items, classifier, learnt };
    return this.model;
  }
}
