import type { ComponentType } from 'react';
import type { PanelKind } from '../layout/model';
import { DepthPanel } from './depth/DepthPanel';
import { HealthPanel } from './health/HealthPanel';
import { HeatmapPanel } from './heatmap/HeatmapPanel';
import { LadderPanel } from './ladder/LadderPanel';
import { VolumeProfilePanel } from './profile/VolumeProfilePanel';
import { TimeSeriesPanel } from './timeseries/TimeSeriesPanel';
import type { PanelProps } from './types';

export interface PanelDefinition {
  title: string;
  /** Keyboard shortcut digit in the Add panel menu. */
  component: ComponentType<PanelProps<never>>;
}

/** Every panel the app can show; a kind missing here cannot be added (and is skipped in a saved layout). */
export const PANELS: Partial<Record<PanelKind, PanelDefinition>> = {
  ladder: { title: 'DOM ladder', component: LadderPanel as ComponentType<PanelProps<never>> },
  depth: { title: 'Depth', component: DepthPanel as ComponentType<PanelProps<never>> },
  timeseries: { title: 'Time series', component: TimeSeriesPanel as ComponentType<PanelProps<never>> },
  heatmap: { title: 'Liquidity heatmap', component: HeatmapPanel as ComponentType<PanelProps<never>> },
  profile: { title: 'Volume profile', component: VolumeProfilePanel as ComponentType<PanelProps<never>> },
  health: { title: 'Feed health', component: HealthPanel as ComponentType<PanelProps<never>> },
};
