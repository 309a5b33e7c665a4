import type { CrossBookFrame, LeadLagFrame } from '../../../../shared/cross-venue';
import { formatCompact, formatDuration, formatPriceText, formatQuantity, formatTrimmed, withUnit } from '../../../../shared/format';
import { StreamProblem } from '../../components/PanelControls';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useStream } from '../../hooks/useStream';
import type { PanelProps } from '../types';
import { CrossGroupBar } from './CrossGroupBar';
import { groupParams, groupStreamKey, useCrossBook } from './useCrossBook';
import { venueColor } from './venue-colors';
import './cross-venue.css';

const STATE_LABEL: Record<string, string> = { synced: 'in sync', buffering: 'syncing', connecting: 'connecting', resyncing: 'resyncing', failed: 'failed', idle: 'idle' };

function Venue({ id }: { id: string }) {
  return (
    <span className="venue-name" data-venue={id}>
      <span className="swatch" style={{ background: venueColor(id) }} />
      {id}
    </span>
  );
}

/** Quote amounts of an arbitrage: four significant digits, so a cent-sized gross does not read as 0. */
function money(value: number): string {
  return formatQuantity(value, 8);
}

function NbboBlock({ frame, priceDecimals, sizeDecimals, base, quote }: { frame: CrossBookFrame; priceDecimals: number; sizeDecimals: number; base: string; quote: string }) {
  const { bid, ask, crossed, arbitrage } = frame.nbbo;
  return (
    <section className="cross-section" aria-label="NBBO">
      <div className="nbbo-sides">
        <div className="nbbo-side bid">
          <span className="label">Best bid</span>
          <span className="price bid-text">{bid ? formatPriceText(bid.price, priceDecimals) : '—'}</span>
          {bid && (
            <span className="detail">
              {withUnit(formatQuantity(Number(bid.size), sizeDecimals), base)} on <Venue id={bid.venue} /> · {formatDuration(bid.ageMs)} old
            </span>
          )}
        </div>
        <div className="nbbo-side ask">
          <span className="label">Best offer</span>
          <span className="price ask-text">{ask ? formatPriceText(ask.price, priceDecimals) : '—'}</span>
          {ask && (
            <span className="detail">
              {withUnit(formatQuantity(Number(ask.size), sizeDecimals), base)} on <Venue id={ask.venue} /> · {formatDuration(ask.ageMs)} old
            </span>
          )}
        </div>
      </div>
      {crossed && arbitrage ? (
        <div className={`arb-box ${arbitrage.net > 0 ? 'pays' : 'eaten'}`} role="status" aria-label="Arbitrage">
          <strong>Crossed NBBO · arbitrage</strong>: buy <Venue id={arbitrage.buyVenue} /> sell <Venue id={arbitrage.sellVenue} />, {withUnit(formatQuantity(arbitrage.size, sizeDecimals), base)} crossable, edge {formatQuantity(arbitrage.edgeBps, 4)} bps.
          <br />
          Gross {withUnit(money(arbitrage.gross), quote)} − taker fees {withUnit(money(arbitrage.fees), quote)} = <strong>{withUnit(`${arbitrage.net >= 0 ? '+' : ''}${money(arbitrage.net)}`, quote)}</strong>
          {arbitrage.net <= 0 ? ' (fees eat it)' : ''}
        </div>
      ) : (
        <p className="muted nbbo-note">{bid && ask ? 'Not crossed: no venue bids above another’s offer.' : 'Waiting for synced books.'}</p>
      )}
    </section>
  );
}

function MembersTable({ frame, priceDecimals }: { frame: CrossBookFrame; priceDecimals: number }) {
  return (
    <table className="cross-table" aria-label="Venues in the group">
      <thead>
        <tr>
          <th>Venue</th>
          <th>Symbol</th>
          <th>State</th>
          <th>Bid</th>
          <th>Ask</th>
          <th>Age</th>
          <th>Taker fee</th>
        </tr>
      </thead>
      <tbody>
        {frame.members.map((m) => (
          <tr key={m.venue} className={m.included ? '' : 'excluded'} data-venue={m.venue} title={m.reason ?? undefined}>
            <td>
              <Venue id={m.venue} />
            </td>
            <td>{m.symbol}</td>
            <td>{m.included ? 'merged' : `excluded: ${m.reason ?? STATE_LABEL[m.state]}`}</td>
            <td className="bid-text">{m.bid ? formatPriceText(m.bid, priceDecimals) : '—'}</td>
            <td className="ask-text">{m.ask ? formatPriceText(m.ask, priceDecimals) : '—'}</td>
            <td>{formatDuration(m.ageMs)}</td>
            <td>{formatTrimmed(m.takerFee * 10_000, 2)} bps</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BandsTable({ frame, quote }: { frame: CrossBookFrame; quote: string }) {
  const venues = frame.members.filter((m) => m.included).map((m) => m.venue);
  return (
    <table className="cross-table" aria-label="Depth bands">
      <thead>
        <tr>
          <th>Depth {quote && `(${quote})`}</th>
          {venues.map((v) => (
            <th key={v}>
              <Venue id={v} />
            </th>
          ))}
          <th>Total</th>
        </tr>
      </thead>
      <tbody>
        {frame.bands.map((b) => (
          <tr key={b.bps} data-bps={b.bps}>
            <td>±{b.bps} bps</td>
            {venues.map((v) => (
              <td key={v}>{formatCompact(b.venues[v] ?? 0)}</td>
            ))}
            <td className="strong">{formatCompact(b.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LeadLagTable({ frame }: { frame: LeadLagFrame | null }) {
  if (!frame) return <p className="muted">Lead/lag: starting…</p>;
  if (frame.pairs.length === 0) return <p className="muted">Lead/lag needs two venues.</p>;
  return (
    <table className="cross-table" aria-label="Lead/lag">
      <thead>
        <tr>
          <th>Pair</th>
          <th>Moves first</th>
          <th>By</th>
          <th>Correlation</th>
          <th>Bins</th>
        </tr>
      </thead>
      <tbody>
        {frame.pairs.map((p) => (
          <tr key={`${p.a}-${p.b}`} data-pair={`${p.a}/${p.b}`}>
            <td>
              <Venue id={p.a} /> / <Venue id={p.b} />
            </td>
            <td>{p.correlation === null ? 'collecting…' : p.leader ? <Venue id={p.leader} /> : 'together'}</td>
            <td>{p.lagMs === null ? '—' : `${Math.abs(p.lagMs)} ms`}</td>
            <td>{p.correlation === null ? '—' : formatTrimmed(p.correlation, 2)}</td>
            <td>{p.samples}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** NBBO & cross-venue: the verified NBBO with arbitrage, each venue's state, depth bands and lead/lag. */
export function CrossNbboPanel({ choice, onChoice }: PanelProps) {
  const { frame, error } = useCrossBook(choice, { levels: 1 }, 'cross-nbbo');
  const leadLag = useStream('cross.leadlag', choice ? groupParams(choice) : null, `leadlag:${groupStreamKey(choice)}`).frame;
  const fmt = useMarketFormat(choice);
  const priceDecimals = Math.max(fmt.priceDecimals, frame?.priceDecimals ?? 0);
  return (
    <div className="cross-panel cross-nbbo-panel">
      <div className="panel-toolbar">{choice && <CrossGroupBar frame={frame} choice={choice} onChoice={onChoice} />}</div>
      <StreamProblem error={error} choice={choice} />
      {frame && (
        <div className="cross-nbbo-body">
          <NbboBlock frame={frame} priceDecimals={priceDecimals} sizeDecimals={fmt.sizeDecimals} base={fmt.base} quote={fmt.quote} />
          <MembersTable frame={frame} priceDecimals={priceDecimals} />
          <h3>Depth within ±bps of each venue’s mid</h3>
          <BandsTable frame={frame} quote={fmt.quote} />
          <h3>
            Lead/lag <span className="muted">(mid changes on local receive time, {leadLag ? `${leadLag.windowSec} s window, ${leadLag.binMs} ms bins` : '…'})</span>
          </h3>
          <LeadLagTable frame={leadLag} />
        </div>
      )}
    </div>
  );
}
