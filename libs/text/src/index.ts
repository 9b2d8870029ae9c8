export { hasUnstorableText, storableJsonText, storableText } from './domain/storable-text';
