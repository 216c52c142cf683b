import { useMediaFileQuery } from '../api/media';
import { mediaUrl } from '../api/client';

/** A media-library image by id (design elements store only the id), or a placeholder while it loads. */
export const MediaImage = ({ fileId, fit }: { fileId: number | string; fit: 'contain' | 'cover' }) => {
  const { data } = useMediaFileQuery(fileId);
  const url = mediaUrl(data?.url);
  if (url) {
    return <img src={url} alt="" draggable={false} style={{ width: '100%', height: '100%', objectFit: fit, pointerEvents: 'none' }} />;
  }
  return (
    <div style={{ width: '100%', height: '100%', background: 'rgba(142,142,169,0.25)', display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 11, color: '#666687' }}>
      Image #{String(fileId)}
    </div>
  );
};
