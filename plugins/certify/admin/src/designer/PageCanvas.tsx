import * as React from 'react';
import { Box } from '@strapi/design-system';

import type { DesignDocument, DesignElement } from '../../../shared/contracts/templates';
import { MediaImage } from '../components/MediaImage';
import { PT_TO_MM } from './geometry';
import { DEFAULT_FAMILY, fontStack, TEXT_DEFAULTS } from '../../../shared/text';
import type { Guide } from './snap';
import type { CanvasText } from './useCanvasTexts';
import { useT } from '../hooks/useT';

interface Props {
  design: DesignDocument;
  pageMm: [number, number];
  backgroundUrl: string | null;
  selection: string[];
  guides: Guide[];
  /** Read-only: elements can be selected but not moved. */
  disabled?: boolean;
  onSelect: (id: string | null, additive?: boolean) => void;
  onDragStart: (id: string, mode: 'move' | 'resize') => void;
  /** Distance from where the drag started, in mm; `snapMm` 0 when the user holds Alt to place freely. */
  onDrag: (dx: number, dy: number, snapMm: number) => void;
  onDragEnd: () => void;
  /** Each text element's output for the preview's record, from the renderer (useCanvasTexts). */
  texts: Record<string, CanvasText>;
}

/** Snapping reaches this far on screen, whatever the zoom. */
const SNAP_PX = 6;
const GUIDE_COLOUR = '#ee5e52';

/**
 * The page at scale: elements are boxes positioned in mm, moved by dragging (Shift+click adds to
 * the selection, Alt turns snapping off) and resized from the bottom-right handle. Text elements
 * show what the certificate prints for the preview's record, in the render's own fonts
 * (useCanvasTexts); shrink-to-fit happens in the render only, which the live preview shows.
 */
export const PageCanvas = ({
  design,
  pageMm,
  backgroundUrl,
  selection,
  guides,
  disabled,
  onSelect,
  onDragStart,
  onDrag,
  onDragEnd,
  texts,
}: Props) => {
  const wrap = React.useRef<HTMLDivElement>(null);
  const [widthPx, setWidthPx] = React.useState(800);
  const [dragFrom, setDragFrom] = React.useState<{ x: number; y: number } | null>(null);

  React.useLayoutEffect(() => {
    const el = wrap.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(([entry]) => setWidthPx(entry.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const scale = widthPx / pageMm[0]; // px per mm

  // While a drag is on, the window follows the pointer so it may leave the page.
  React.useEffect(() => {
    if (!dragFrom) return undefined;
    const move = (e: PointerEvent) => onDrag((e.clientX - dragFrom.x) / scale, (e.clientY - dragFrom.y) / scale, e.altKey ? 0 : SNAP_PX / scale);
    const up = () => {
      setDragFrom(null);
      onDragEnd();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
  }, [dragFrom, scale, onDrag, onDragEnd]);

  const start = (e: React.PointerEvent, el: DesignElement, mode: 'move' | 'resize') => {
    e.stopPropagation();
    e.preventDefault();
    if (e.shiftKey && mode === 'move') {
      onSelect(el.id, true);
      return;
    }
    if (disabled) {
      onSelect(el.id);
      return;
    }
    onDragStart(el.id, mode);
    setDragFrom({ x: e.clientX, y: e.clientY });
  };

  const sorted = [...design.elements].sort((a, b) => (a.z ?? 0) - (b.z ?? 0));
  const single = selection.length === 1;

  return (
    <Box ref={wrap} width="100%">
      <div
        role="presentation"
        onPointerDown={() => onSelect(null)}
        style={{
          position: 'relative',
          width: widthPx,
          height: pageMm[1] * scale,
          background: design.backgroundColor ?? '#ffffff',
          backgroundImage: backgroundUrl ? `url("${backgroundUrl}")` : undefined,
          backgroundSize: design.backgroundFit === 'contain' ? 'contain' : design.backgroundFit === 'stretch' ? '100% 100%' : 'cover',
          backgroundPosition: 'center',
          backgroundRepeat: 'no-repeat',
          boxShadow: '0 2px 12px rgba(33, 33, 52, 0.18)',
          overflow: 'hidden',
          userSelect: 'none',
          touchAction: 'none',
        }}
      >
        {sorted.map((el) => {
          const selected = selection.includes(el.id);
          const style: React.CSSProperties = {
            position: 'absolute',
            left: el.x * scale,
            top: el.y * scale,
            width: el.width * scale,
            height: el.height * scale,
            transform: el.rotation ? `rotate(${el.rotation}deg)` : undefined,
            opacity: el.opacity ?? 1,
            outline: selected ? '2px solid #4945ff' : '1px dashed rgba(73, 69, 255, 0.35)',
            outlineOffset: 1,
            cursor: disabled ? 'pointer' : 'move',
            boxSizing: 'border-box',
          };
          return (
            <div key={el.id} style={style} onPointerDown={(e) => start(e, el, 'move')} title={el.id}>
              <ElementBody el={el} scale={scale} text={texts[el.id]} defaultFont={design.fontFamily} />
              {selected && single && !disabled && (
                <div
                  onPointerDown={(e) => start(e, el, 'resize')}
                  style={{
                    position: 'absolute',
                    right: -5,
                    bottom: -5,
                    width: 10,
                    height: 10,
                    background: '#4945ff',
                    border: '2px solid #fff',
                    borderRadius: 2,
                    cursor: 'nwse-resize',
                  }}
                />
              )}
            </div>
          );
        })}
        {guides.map((g) => (
          <div
            key={`${g.axis}-${g.at}`}
            aria-hidden
            style={{
              position: 'absolute',
              pointerEvents: 'none',
              background: GUIDE_COLOUR,
              ...(g.axis === 'x' ? { left: g.at * scale, top: 0, bottom: 0, width: 1 } : { top: g.at * scale, left: 0, right: 0, height: 1 }),
            }}
          />
        ))}
      </div>
    </Box>
  );
};

const ElementBody = ({ el, scale, text, defaultFont }: { el: DesignElement; scale: number; text?: CanvasText; defaultFont?: string }) => {
  const t = useT();
  switch (el.type) {
    case 'text': {
      const size = (el.fontSize ?? TEXT_DEFAULTS.fontSize) * PT_TO_MM * scale;
      // A text that cannot render shows its source in red, with the problem as its tooltip.
      const broken = text && 'error' in text ? text : null;
      return (
        <div
          dir={el.direction ?? 'auto'}
          data-canvas-text={el.id}
          title={broken?.error}
          style={{
            width: '100%',
            height: '100%',
            display: 'flex',
            alignItems: el.verticalAlign === 'top' ? 'flex-start' : el.verticalAlign === 'bottom' ? 'flex-end' : 'center',
            justifyContent: el.align === 'left' ? 'flex-start' : el.align === 'right' ? 'flex-end' : 'center',
            textAlign: el.align ?? 'center',
            fontFamily: fontStack(el.fontFamily ?? defaultFont ?? DEFAULT_FAMILY),
            fontWeight: el.fontWeight ?? TEXT_DEFAULTS.fontWeight,
            fontStyle: el.italic ? 'italic' : 'normal',
            fontSize: size,
            lineHeight: el.lineHeight ?? TEXT_DEFAULTS.lineHeight,
            letterSpacing: el.letterSpacing ? `${el.letterSpacing}em` : undefined,
            textTransform: el.uppercase ? 'uppercase' : 'none',
            color: broken ? '#d02b20' : el.color ?? TEXT_DEFAULTS.color,
            whiteSpace: el.wrap && !el.shrinkToFit ? 'pre-wrap' : 'pre',
            overflow: 'hidden',
          }}
        >
          {broken ? broken.source : text && 'text' in text ? text.text : ''}
        </div>
      );
    }
    case 'qr':
      return (
        <svg viewBox="0 0 21 21" width="100%" height="100%" style={{ background: el.background ?? '#fff' }}>
          {[0, 14].map((x) =>
            [0, 14].map((y) =>
              x === 14 && y === 14 ? null : (
                <g key={`${x}-${y}`} fill={el.color ?? '#000'}>
                  <rect x={x} y={y} width={7} height={7} />
                  <rect x={x + 1} y={y + 1} width={5} height={5} fill={el.background ?? '#fff'} />
                  <rect x={x + 2} y={y + 2} width={3} height={3} />
                </g>
              )
            )
          )}
          {Array.from({ length: 40 }, (_, i) => (
            <rect key={i} x={8 + ((i * 7) % 13)} y={(i * 5) % 21} width={1} height={1} fill={el.color ?? '#000'} />
          ))}
        </svg>
      );
    case 'photo':
      return (
        <div
          style={{
            width: '100%',
            height: '100%',
            borderRadius: (el.borderRadius ?? 0) * scale,
            border: el.borderWidth ? `${el.borderWidth * scale}px solid ${el.borderColor ?? '#fff'}` : undefined,
            background: 'linear-gradient(135deg, #c0c0cf, #8e8ea9)',
            color: '#fff',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            fontSize: 11,
          }}
        >
          {t('designer.add.photo', 'Photo')}
        </div>
      );
    case 'image':
      return <MediaImage fileId={el.fileId} fit={el.fit ?? 'contain'} />;
    case 'shape':
      if (el.shape === 'line') {
        return <div style={{ width: '100%', height: Math.max(1, (el.strokeWidth ?? 0.5) * scale), background: el.stroke ?? '#000', marginTop: (el.height * scale) / 2 }} />;
      }
      return (
        <div
          style={{
            width: '100%',
            height: '100%',
            background: el.fill ?? 'transparent',
            border: el.stroke ? `${Math.max(1, (el.strokeWidth ?? 0.5) * scale)}px solid ${el.stroke}` : undefined,
            borderRadius: el.shape === 'ellipse' ? '50%' : (el.borderRadius ?? 0) * scale,
            boxSizing: 'border-box',
          }}
        />
      );
    default:
      return null;
  }
};
