import * as React from 'react';

import type { TemplateInput } from '../../../shared/contracts/templates';
import { errorMessage, useCertifyApi } from '../api/client';

/**
 * Server-rendered PNG of the unsaved draft, refreshed a moment after the last edit. Superseded
 * requests are aborted so a slow render never overwrites a newer one.
 */
export const usePreview = (eventId: string, templateId: string, draft: TemplateInput, recordId: string | undefined, delayMs = 700) => {
  const api = useCertifyApi();
  const [url, setUrl] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [loading, setLoading] = React.useState(false);
  const [nonce, setNonce] = React.useState(0);
  const key = JSON.stringify(draft);

  React.useEffect(() => {
    const ctrl = new AbortController();
    const timer = window.setTimeout(async () => {
      setLoading(true);
      try {
        const blob = await api.previewTemplate(eventId, templateId, { template: draft, recordId, format: 'png' }, ctrl.signal);
        const next = URL.createObjectURL(blob);
        setUrl((prev) => {
          if (prev) URL.revokeObjectURL(prev);
          return next;
        });
        setError(null);
      } catch (err) {
        if (!ctrl.signal.aborted) setError(errorMessage(err));
      } finally {
        if (!ctrl.signal.aborted) setLoading(false);
      }
    }, delayMs);
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, eventId, templateId, key, recordId, nonce, delayMs]);

  React.useEffect(() => () => {
    setUrl((prev) => {
      if (prev) URL.revokeObjectURL(prev);
      return null;
    });
  }, []);

  return { url, error, loading, refresh: () => setNonce((n) => n + 1) };
};
