/** A failure whose message is already the sentence the user should read (no stack, no prefix). */
export class RolloutFailure extends Error {
  override readonly name: string = 'RolloutFailure';
}
