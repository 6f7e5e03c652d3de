import { useCallback, useEffect } from 'react';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { WallScreen, type WallMapInput } from '../../features/wall/WallScreen';
import { MapView } from '../../map/MapView';
import { useServices } from '../services';
import { useStore } from '../store';

const NO_TRAIL: [] = [];
const ignore = () => undefined;

/**
 * The wall: the wall feature laid out around the console's one map. The live feed runs while
 * `token` is a live session; without one (the wall's session ended) everything stays as it was.
 * No alert centre: the wall has no one to sound for, and the ticker shows what is new and overdue.
 */
export function WallShell({ user, token }: { user: SessionUser; token: string | null }) {
  const { feed, selection, teamSelection } = useServices();
  useEffect(() => {
    if (!token) return;
    feed.start();
    return () => feed.stop();
  }, [feed, token]);
  // Nothing is ever selected on the wall; the map still takes the stores it draws selections from.
  const noSelection = useStore(selection);
  const noTeam = useStore(teamSelection);
  const renderMap = useCallback(
    (input: WallMapInput) => (
      <MapView
        geo={input.geo}
        delivery={input.delivery}
        bbox={input.bbox}
        place={input.place}
        events={input.events}
        selection={noSelection}
        teams={input.teams}
        teamSelection={noTeam}
        trail={NO_TRAIL}
        layers={input.layers}
        scale={input.scale}
        itemNames={input.itemNames}
        onSelectEvent={ignore}
        onSelectTeam={ignore}
        onDropEventOnTeam={null}
      />
    ),
    [noSelection, noTeam],
  );
  return <WallScreen user={user} token={token} renderMap={renderMap} />;
}
