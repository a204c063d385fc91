// dockerfile-ast computes an instruction's arguments afresh on every call: it rescans the
// instruction's text and converts every argument's offsets to positions. The library itself calls
// getRawArguments() from getArguments(), getFlags(), getVariables(), getHeredocs() and more, and
// the transforms ask for the same instruction's arguments many times, so this scan was a quarter
// of a batch run's CPU. An instruction's text never changes after parsing (an edit makes a new
// parse), so the first answer is kept on the instance.
import { Instruction, type Argument } from 'dockerfile-ast';

const ARGS = Symbol('stageopt.rawArguments');

// getRawArguments is private in the library's typings; it is the one method every argument
// reader goes through.
interface Memoised {
  getRawArguments(): Argument[];
  [ARGS]?: Argument[];
}

const proto = Instruction.prototype as unknown as Memoised & { memoised?: true };
if (!proto.memoised) {
  const compute = proto.getRawArguments;
  proto.getRawArguments = function (this: Memoised): Argument[] {
    // A copy each time: callers own the array (ModifiableInstruction.getArguments shifts the
    // flags off the one it gets).
    return (this[ARGS] ??= compute.call(this)).slice();
  };
  proto.memoised = true;
}
