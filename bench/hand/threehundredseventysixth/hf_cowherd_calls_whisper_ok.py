"""Hugging Face Trainer: a tiny Whisper audio classifier (``WhisperConfig``: 20 mel bins, 64
frames, 48 wide, 2 encoder layers, 4 heads, built from the config, no download;
``WhisperForAudioClassification``) sorts the calls that the barn microphone picks up so the
cowherd is told about the ones that matter: a closed-mouth contact call (low hum, F0
80-120 Hz, 0.3-0.6 s, flat pitch), a calf-separation call (open mouth, F0 120-170 Hz, 0.6-1 s,
pitch rising then falling) and an oestrus bellow (F0 160-260 Hz, 0.7-1 s, loud upper
harmonics, rough: a pitch that wobbles fast). Each call is synthesised at 4 kHz (1.02 s
clip, random start, harmonics under a mouth formant that opens with the class), laid on
barn noise (ventilation fan hum at 50 Hz and its harmonics, brown-ish noise, a random level)
and turned into a 20-bin log-mel spectrogram (256-point FFT, hop 64, 0-2 kHz), scaled as
(log10 power - 1.5) / 1.5.
AdamW 1e-3 with cosine decay and 18 warmup steps (10 %), weight decay 0.01, batch 24, 6 epochs of 720
calls, eval each epoch (30 steps) on 240 calls (accuracy and oestrus recall), loss every 10
steps, checkpoint each epoch (``barncalls/checkpoint-N/`` with ``trainer_state.json``, two
kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import Trainer, TrainingArguments, WhisperConfig, WhisperForAudioClassification

SR = 4000
HOP = 64
FRAMES = 64
NFFT = 256
MELS = 20
CALLS = ["contact", "separation", "oestrus"]


def mel_bank():
    mel = lambda f: 2595 * math.log10(1 + f / 700)  # noqa: E731
    pts = torch.linspace(mel(0), mel(SR / 2), MELS + 2)
    hz = 700 * (10 ** (pts / 2595) - 1)
    f = torch.linspace(0, SR / 2, NFFT // 2 + 1)
    lo, mid, hi = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    return torch.minimum((f - lo) / (mid - lo), (hi - f) / (hi - mid)).clamp(min=0)


def clips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 3, (n,), generator=g)
    L_ = HOP * (FRAMES - 1) + NFFT
    t = torch.arange(L_).float() / SR
    f0 = torch.tensor([80.0, 120.0, 160.0])[cls] + torch.tensor([40.0, 50.0, 100.0])[cls] * r(n)
    dur = torch.tensor([0.3, 0.6, 0.7])[cls] + torch.tensor([0.3, 0.4, 0.3])[cls] * r(n)
    start = (1.02 - dur) * r(n)
    u = ((t - start[:, None]) / dur[:, None]).clamp(0, 1)
    arch = torch.tensor([0.0, 0.25, 0.15])[cls][:, None] * torch.sin(math.pi * u)
    wob = torch.tensor([0.0, 0.01, 0.06])[cls][:, None] * torch.sin(2 * math.pi * 18 * t)
    inst = f0[:, None] * (1 + arch + wob)
    phase = 2 * math.pi * torch.cumsum(inst, 1) / SR
    formant = torch.tensor([300.0, 600.0, 900.0])[cls] * (0.8 + 0.4 * r(n))
    wave = torch.zeros(n, L_)
    for k in range(1, 16):
        gain = torch.exp(-((k * f0 - formant) / 400) ** 2) + 0.05
        gain = gain * torch.where(cls == 2, 1.0, 0.5 ** (k - 1) * 2).clamp(max=1)
        wave = wave + gain[:, None] * torch.sin(k * phase)
    env = torch.sin(math.pi * u).clamp(min=0) ** 0.5 * ((t >= start[:, None]) & (u < 1)).float()
    wave = wave * env * (0.5 + r(n, 1))
    brown = torch.cumsum(torch.randn(n, L_, generator=g), 1)
    brown = brown - brown.mean(1, keepdim=True)
    hum = sum(torch.sin(2 * math.pi * 50 * k * t + 6 * r(n, 1)) / k for k in (1, 2, 3))
    noise = (0.2 + 0.6 * r(n, 1)) * (0.02 * brown + 0.3 * hum + 0.3 * torch.randn(n, L_, generator=g))
    spec = torch.stft(wave + noise, NFFT, HOP, window=torch.hann_window(NFFT), center=False,
                      return_complex=True).abs() ** 2
    logmel = (torch.log10(mel_bank() @ spec + 1e-4) - 1.5) / 1.5
    return logmel, cls


class Calls(torch.utils.data.Dataset):
    def __init__(self, feats, labels):
        self.feats, self.labels = feats, labels

    def __len__(self):
        return len(self.feats)

    def __getitem__(self, i):
        return {"input_features": self.feats[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = WhisperConfig(num_mel_bins=MELS, max_source_positions=FRAMES // 2, d_model=48,
                           encoder_layers=2, encoder_attention_heads=4, encoder_ffn_dim=96,
                           decoder_layers=1, decoder_attention_heads=4, decoder_ffn_dim=96,
                           vocab_size=64, max_target_positions=16, dropout=0.0, pad_token_id=0,
                           bos_token_id=1, eos_token_id=2, decoder_start_token_id=1,
                           num_labels=3, classifier_proj_size=32,
                           id2label=dict(enumerate(CALLS)),
                           label2id={c: i for i, c in enumerate(CALLS)})
    return WhisperForAudioClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"accuracy": float((p == y).mean()), "oestrus_recall": float((p[y == 2] == 2).mean())}


def main():
    from _threehundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr = clips(720, g)
    fva, yva = clips(240, g)
    print("features", tuple(ftr.shape), "calls", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "barncalls"), num_train_epochs=6, learning_rate=1e-3,
                             warmup_steps=18, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Calls(ftr, ytr),
                      eval_dataset=Calls(fva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "barncalls").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": fva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Whisper audio classifier sorting barn-microphone cow calls (contact /"
                " calf separation / oestrus) from log-mel spectrograms, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
