import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { AdminFrame } from '../../features/admin/AdminFrame';
import { HotlineImportScreen } from '../../features/hotline-import/HotlineImportScreen';
import { ScreenNav } from '../../features/navigation/ScreenNav';
import { useServices } from '../services';
import { wallOpener } from './open-wall';

/** The 12345 import in the page frame, with the tabs between the command room's screens. */
export function HotlineImportRoute({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const { platform } = useServices();
  return (
    <AdminFrame user={user} title={t('hotlineImport.title')} screen="hotline-import" nav={<ScreenNav user={user} current="hotline-import" onOpenWall={wallOpener(platform)} />}>
      <HotlineImportScreen />
    </AdminFrame>
  );
}
