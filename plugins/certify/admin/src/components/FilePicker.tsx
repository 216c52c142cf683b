import * as React from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Upload } from '@strapi/icons';
import { useT } from '../hooks/useT';

interface Props {
  accept: string;
  label: string;
  hint?: string;
  file: File | null;
  onChange: (file: File | null) => void;
  disabled?: boolean;
}

/** A drop zone that also opens the file dialog; one file at a time. */
export const FilePicker = ({ accept, label, hint, file, onChange, disabled }: Props) => {
  const t = useT();
  const input = React.useRef<HTMLInputElement>(null);
  const [over, setOver] = React.useState(false);
  return (
    <Box
      padding={6}
      hasRadius
      background={over ? 'primary100' : 'neutral100'}
      borderStyle="dashed"
      borderWidth="1px"
      borderColor={over ? 'primary500' : 'neutral300'}
      onDragOver={(e: React.DragEvent) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e: React.DragEvent) => {
        e.preventDefault();
        setOver(false);
        if (!disabled && e.dataTransfer.files[0]) onChange(e.dataTransfer.files[0]);
      }}
    >
      <Flex direction="column" gap={3} alignItems="center">
        <Upload width="2.4rem" height="2.4rem" fill="neutral500" />
        <Typography fontWeight="semiBold">{file ? file.name : label}</Typography>
        {file ? (
          <Typography variant="pi" textColor="neutral600">{`${(file.size / 1024).toFixed(1)} KB`}</Typography>
        ) : (
          hint && <Typography variant="pi" textColor="neutral600">{hint}</Typography>
        )}
        <Button variant="secondary" size="S" disabled={disabled} onClick={() => input.current?.click()}>
          {file ? t('filePicker.another', 'Choose another file') : t('filePicker.choose', 'Choose a file')}
        </Button>
        <input
          ref={input}
          type="file"
          accept={accept}
          hidden
          onChange={(e) => {
            onChange(e.target.files?.[0] ?? null);
            e.target.value = '';
          }}
        />
      </Flex>
    </Box>
  );
};
