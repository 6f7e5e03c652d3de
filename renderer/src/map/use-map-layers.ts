import { useCallback, useState } from 'react';
import { mapLayersKey, parseMapLayers, type MapLayerState, type MapLayerSwitch } from './layer-switches';

/** `localStorage`, or nothing where the browser refuses it (a locked-down profile): the switches then last a session. */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The panel's open state is kept beside the switches, under the same user. */
const panelKey = (userId: string) => `${mapLayersKey(userId)}.panel`;

export interface MapLayerChoice {
  layers: MapLayerState;
  setLayer(name: MapLayerSwitch, on: boolean): void;
  panelOpen: boolean;
  setPanelOpen(open: boolean): void;
}

/** This user's layer switches and whether the panel is open, remembered in this browser. */
export function useMapLayers(userId: string): MapLayerChoice {
  const [layers, setLayers] = useState<MapLayerState>(() => parseMapLayers(storage()?.getItem(mapLayersKey(userId)) ?? null));
  const [panelOpen, setOpen] = useState<boolean>(() => storage()?.getItem(panelKey(userId)) !== 'closed');
  const setLayer = useCallback(
    (name: MapLayerSwitch, on: boolean) => {
      setLayers((prev) => {
        if (prev[name] === on) return prev;
        const next = { ...prev, [name]: on };
        try {
          storage()?.setItem(mapLayersKey(userId), JSON.stringify(next));
        } catch {
          // full or refused: the choice still holds for this session
        }
        return next;
      });
    },
    [userId],
  );
  const setPanelOpen = useCallback(
    (open: boolean) => {
      setOpen(open);
      try {
        storage()?.setItem(panelKey(userId), open ? 'open' : 'closed');
      } catch {
        // as above
      }
    },
    [userId],
  );
  return { layers, setLayer, panelOpen, setPanelOpen };
}
