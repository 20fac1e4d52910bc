export { ScriptedFakeServer } from './scripted-fake-server';
export { parseJsonBody, pathOf, sendJson, sendScriptedStatus, writeSseHead, writeThenDestroy } from './http-replies';
