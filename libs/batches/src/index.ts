export { FileStore, FILE_CHUNK_BYTES, type FileLocation, type FileObject, type FileOwner } from './files/file-store';
export { FilesStoreModule } from './files/files-store.module';
export { FileTooLargeError } from './files/file-too-large.error';
