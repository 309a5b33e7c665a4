import type { ComponentType } from 'react';
import type { PanelKind } from '../layout/model';
import { AlertsPanel } from './alerts/AlertsPanel';
import { CandlesPanel } from './candles/CandlesPanel';
import { CrossDepthPanel } from './cross-venue/CrossDepthPanel';
import { CrossHeatmapPanel } from './cross-venue/CrossHeatmapPanel';
import { CrossLadderPanel } from './cross-venue/CrossLadderPanel';
import { CrossNbboPanel } from './cross-venue/CrossNbboPanel';
import { DepthPanel } from './depth/DepthPanel';
import { HealthPanel } from './health/HealthPanel';
import { HeatmapPanel } from './heatmap/HeatmapPanel';
import { ImpactPanel } from './impact/ImpactPanel';
import { LadderPanel } from './ladder/LadderPanel';
import { MarketMakerPanel } from './market-maker/MarketMakerPanel';
import { MetricsPanel } from './metrics/MetricsPanel';
import { VolumeProfilePanel } from './profile/VolumeProfilePanel';
import { FootprintPanel } from './footprint/FootprintPanel';
import { TradedProfilePanel } from './traded-profile/TradedProfilePanel';
import { TapePanel } from './tape/TapePanel';
import { TimeSeriesPanel } from './timeseries/TimeSeriesPanel';
import type { PanelProps } from './types';

export interface PanelDefinition {
  title: string;
  component: ComponentType<PanelProps<never>>;
}

/** Every panel the app can show; a kind missing here cannot be added (and is skipped in a saved layout). */
export const PANELS: Partial<Record<PanelKind, PanelDefinition>> = {
  ladder: { title: 'DOM ladder', component: LadderPanel as ComponentType<PanelProps<never>> },
  depth: { title: 'Depth', component: DepthPanel as ComponentType<PanelProps<never>> },
  timeseries: { title: 'Time series', component: TimeSeriesPanel as ComponentType<PanelProps<never>> },
  heatmap: { title: 'Liquidity heatmap', component: HeatmapPanel as ComponentType<PanelProps<never>> },
  // Kind id 'profile' kept so saved layouts still load; it shows resting size, not traded volume.
  profile: { title: 'Resting liquidity profile', component: VolumeProfilePanel as ComponentType<PanelProps<never>> },
  metrics: { title: 'Metrics', component: MetricsPanel as ComponentType<PanelProps<never>> },
  alerts: { title: 'Alerts', component: AlertsPanel as ComponentType<PanelProps<never>> },
  impact: { title: 'Impact calculator', component: ImpactPanel as ComponentType<PanelProps<never>> },
  health: { title: 'Feed health', component: HealthPanel as ComponentType<PanelProps<never>> },
  tape: { title: 'Time & Sales', component: TapePanel as ComponentType<PanelProps<never>> },
  'market-maker': { title: 'Paper market maker', component: MarketMakerPanel as ComponentType<PanelProps<never>> },
  candles: { title: 'Candles', component: CandlesPanel as ComponentType<PanelProps<never>> },
  'cross-ladder': { title: 'Consolidated ladder', component: CrossLadderPanel as ComponentType<PanelProps<never>> },
  'cross-depth': { title: 'Consolidated depth', component: CrossDepthPanel as ComponentType<PanelProps<never>> },
  'cross-heatmap': { title: 'Consolidated heatmap', component: CrossHeatmapPanel as ComponentType<PanelProps<never>> },
  'cross-nbbo': { title: 'NBBO & cross-venue', component: CrossNbboPanel as ComponentType<PanelProps<never>> },
  footprint: { title: 'Footprint', component: FootprintPanel as ComponentType<PanelProps<never>> },
  'traded-profile': { title: 'Traded volume profile', component: TradedProfilePanel as ComponentType<PanelProps<never>> },
};
