import {
  ACTION_LABELS,
  ALERT_KIND_LABELS,
  ALERT_SEVERITY_LABELS,
  FIELD_BUTTON_LABELS,
  ROLE_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  STEP_LABELS,
  SYSTEM_ENTRY_LABELS,
  TEAM_STATUS_LABELS,
  TEAM_TYPE_LABELS,
  URGENCY_LABELS,
  labelsIn,
  type LabelLanguage,
} from '../../../shared/domain/labels.js';

/**
 * The i18next subtrees that map codes to words, in one language, taken from the shared label
 * table (shared/domain/labels.ts) so the console and the field app say what the server says.
 */
export function vocabulary(lang: LabelLanguage) {
  return {
    status: labelsIn(STATUS_LABELS, lang),
    actions: labelsIn(ACTION_LABELS, lang),
    systemEntry: labelsIn(SYSTEM_ENTRY_LABELS, lang),
    step: labelsIn(STEP_LABELS, lang),
    urgency: labelsIn(URGENCY_LABELS, lang),
    alertKind: labelsIn(ALERT_KIND_LABELS, lang),
    alertSeverity: labelsIn(ALERT_SEVERITY_LABELS, lang),
    teamStatus: labelsIn(TEAM_STATUS_LABELS, lang),
    teamType: labelsIn(TEAM_TYPE_LABELS, lang),
    source: labelsIn(SOURCE_LABELS, lang),
    roles: labelsIn(ROLE_LABELS, lang),
    fieldButton: labelsIn(FIELD_BUTTON_LABELS, lang),
  };
}
