"""Hugging Face Trainer: a tiny UniSpeech-SAT audio classifier (``UniSpeechSatConfig``: 3 conv
feature layers of 16 channels, 32 wide, 2 transformer layers, 4 heads, built from the config,
no download; ``UniSpeechSatForSequenceClassification``) hears the tap test a sett-maker gives
every granite sett before it leaves the bench: a light hammer tap, and the block either
rings (sound), rings short and buzzes (a hairline flaw along the rift) or thuds (split
through, it will break under a lorry wheel). 0.1 s of a yard microphone at 8 kHz (800
samples): a sound sett rings with two modes (first 1.2-2.0 kHz, set by its size, the second
1.45-1.75 times higher) decaying over 15-35 ms; a flawed one has each mode split into a
beating pair 40-120 Hz apart, decays in 5-12 ms and carries a rattle; a split one gives a
low thud (0.4-0.9 kHz) gone in 1.5-4 ms under a noise burst. Tap force 0.5-1.5, a click at
the strike, yard noise from the other hammers.
AdamW 2e-3, cosine schedule with 19 warmup steps (10 %), weight decay 0.01, batch 24, 5 epochs of 900
taps, eval each epoch on 240 taps (accuracy and recall of split setts), loss every 5 steps,
checkpoint each epoch (``taptest/checkpoint-N/`` with ``trainer_state.json``, the last 2
kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    Trainer,
    TrainingArguments,
    UniSpeechSatConfig,
    UniSpeechSatForSequenceClassification,
)

SR = 8000
N = 800
KINDS = ["sound", "flawed", "split"]


def taps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.randint(0, 3, (n,), generator=g)
    t = (torch.arange(N).float() / SR).unsqueeze(0)
    force = 0.5 + r(n, 1)
    ph = 2 * math.pi * r(n, 2)
    f1 = 1200 + 800 * r(n, 1)
    f2 = f1 * (1.45 + 0.3 * r(n, 1))
    tau = torch.where(kind == 0, 0.015 + 0.02 * r(n), 0.005 + 0.007 * r(n)).unsqueeze(1)
    split = (kind == 1).float().unsqueeze(1) * (40 + 80 * r(n, 1))
    ring = (torch.sin(2 * math.pi * f1 * t + ph[:, :1]) * torch.cos(math.pi * split * t)
            + 0.6 * torch.sin(2 * math.pi * f2 * t + ph[:, 1:]) * torch.cos(math.pi * 1.3 * split * t))
    ring = ring * torch.exp(-t / tau)
    rattle = 0.15 * torch.randn(n, N, generator=g) * torch.exp(-t / 0.01) * (kind == 1).float().unsqueeze(1)
    fth = 400 + 500 * r(n, 1)
    tth = 0.0015 + 0.0025 * r(n, 1)
    thud = (torch.sin(2 * math.pi * fth * t + ph[:, :1]) + 0.5 * torch.randn(n, N, generator=g)) * torch.exp(-t / tth)
    wave = torch.where((kind == 2).unsqueeze(1), thud, ring + rattle)
    click = torch.zeros(n, N)
    click[:, :8] = 0.6 * torch.randn(n, 8, generator=g)
    wave = force * (wave + click) + 0.03 * torch.randn(n, N, generator=g)
    shift = torch.randint(0, 40, (n,), generator=g)
    wave = torch.stack([torch.roll(w, int(s)) for w, s in zip(wave, shift)])  # noqa: B905
    return wave, kind


class Taps(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = UniSpeechSatConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                                intermediate_size=64, conv_dim=(16, 16, 16), conv_stride=(4, 2, 2),
                                conv_kernel=(8, 4, 4), num_conv_pos_embeddings=8,
                                num_conv_pos_embedding_groups=4, num_labels=3,
                                classifier_proj_size=16, hidden_dropout=0.0, attention_dropout=0.0,
                                activation_dropout=0.0, feat_proj_dropout=0.0, final_dropout=0.0,
                                layerdrop=0.0, mask_time_prob=0.0, num_clusters=4,
                                codevector_dim=16, proj_codevector_dim=16,
                                id2label=dict(enumerate(KINDS)),
                                label2id={k: i for i, k in enumerate(KINDS)})
    return UniSpeechSatForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"acc": float((p == y).mean()), "recall_split": float((p[y == 2] == 2).mean())}


def main():
    from _threehundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = taps(900, g)
    xva, yva = taps(240, g)
    print("kinds", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "taptest"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=19, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Taps(xtr, ytr),
                      eval_dataset=Taps(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "taptest").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny UniSpeech-SAT classifier hearing a sett-maker's hammer tap test (sound /"
                " flawed / split granite sett), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
