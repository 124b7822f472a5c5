// A photo from the phone's camera, made small enough to send over a weak signal: at most 1600 px on the
// long side, JPEG. Only the resized bytes are kept (encrypted, with the outbox entry); the original is
// never stored by the app.
export const MAX_SIDE = 1600;
const QUALITY = 0.8;

export async function resize(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
  return { bytes: await blob.arrayBuffer(), width: canvas.width, height: canvas.height };
}
