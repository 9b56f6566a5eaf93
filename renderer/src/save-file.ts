/** Saving a text file from the page: a download of a Blob (Electron asks where with its save dialog). */
import type { SaveFile } from './slices/types';

export const downloadFile: SaveFile = (fileName, text) => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(a.href);
};
