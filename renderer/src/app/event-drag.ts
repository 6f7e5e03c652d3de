/**
 * The drag-and-drop type of a queue row carrying its case id: a team (board row or map marker)
 * accepts it as "dispatch this case to me". Custom, so text drags from elsewhere are ignored.
 */
export const EVENT_DRAG_TYPE = 'application/x-gridcommand-event';
