import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { ScreenNav } from '../../features/navigation/ScreenNav';
import { WorkforceScreen } from '../../features/workforce/WorkforceScreen';
import { useServices } from '../services';
import { wallOpener } from './open-wall';

/** 网格队伍 (the grid office's home) in the page frame, with the tabs between the command room's screens. */
export function WorkforceRoute({ user, search }: { user: SessionUser; search: URLSearchParams }) {
  const { platform } = useServices();
  return <WorkforceScreen user={user} search={search} nav={<ScreenNav user={user} current="workforce" onOpenWall={wallOpener(platform)} />} />;
}
