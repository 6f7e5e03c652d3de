import { useState } from 'react';
import type { ActionRequest } from '../../../../../shared/contracts/workflow.js';
import type { ActionProblem } from '../wording';

/** What every action dialog receives from the shell. */
export interface ActionDialogProps {
  submit(request: ActionRequest): Promise<ActionProblem | null>;
  onClose(): void;
}

/** Sends a dialog's request once at a time and keeps the refusal to show inline; resolves to it (null: done, or not sent). */
export function useDialogSubmit(submit: ActionDialogProps['submit']) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ActionProblem | null>(null);
  const run = async (request: ActionRequest): Promise<ActionProblem | null> => {
    if (busy) return null;
    setBusy(true);
    setProblem(null);
    try {
      const refused = await submit(request);
      setProblem(refused);
      return refused;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, setProblem, run };
}

/** Trims a field; empty becomes undefined, so optional fields are left out of the body. */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed.length ? trimmed : undefined;
}
