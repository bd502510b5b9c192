// audio-worklet.js — the capture end of the operator's broadcast: an
// AudioWorklet that hands the main thread 20 ms blocks of mono samples at the
// context's rate (48 kHz) and their peak level, for the encoder and the meter.
// Loaded with audioWorklet.addModule (a file of our own: CSP allows it).

const BLOCK = 960; // 20 ms at 48 kHz: one Opus frame

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buf = new Float32Array(BLOCK);
    this.n = 0;
    this.peak = 0;
  }

  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i];
      this.buf[this.n++] = v;
      const a = v < 0 ? -v : v;
      if (a > this.peak) this.peak = a;
      if (this.n === BLOCK) {
        this.port.postMessage({ samples: this.buf, peak: this.peak }, [this.buf.buffer]);
        this.buf = new Float32Array(BLOCK);
        this.n = 0;
        this.peak = 0;
      }
    }
    return true;
  }
}

registerProcessor('obrady-capture', CaptureProcessor);
