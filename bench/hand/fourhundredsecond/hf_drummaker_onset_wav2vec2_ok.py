"""Hugging Face Trainer: a tiny wav2vec 2.0 frame classifier (``Wav2Vec2Config``: 3 conv
feature layers 16 wide with strides 4 / 4 / 2, 32 wide, 2 transformer layers, 2 heads, built
from the config, no download; ``Wav2Vec2ForAudioFrameClassification``) marks, frame by
frame, what is going on in a drummaker's test recording of a new snare or tom: a stick hits
the head 1-3 times in half a second, and for each 15.6 ms frame (32 samples at 2048 Hz) the
label is "attack" (the stick click and the first 31 ms after a hit), "ring" (the head still
sounding above 10 % of the hit's peak) or "quiet". Each hit: a short broadband click, the
head's fundamental (90-260 Hz) and its first overtone (×1.59, the membrane's (1,1) mode)
decaying with a time constant of 40-220 ms, hit strength 0.3-1.0; room noise on top.
Input: (1024,) samples, standardised per clip as wav2vec 2.0 expects; labels one-hot
``(31, 3)`` per clip, as that head takes them. AdamW 2e-3 with cosine decay after 15 warmup steps,
weight decay 0.01, batch 16, 5 epochs of 480 clips (150 steps), eval each epoch (every 30
steps) on 160 clips (frame accuracy, attack recall), loss every 10 steps, checkpoint each
epoch (``hits/checkpoint-N/`` with ``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    Trainer,
    TrainingArguments,
    Wav2Vec2Config,
    Wav2Vec2ForAudioFrameClassification,
)

SR = 2048
S = 1024
HOP = 32
F_ = 31
LABELS = ["quiet", "attack", "ring"]


def clips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(S).float() / SR
    wav = 0.01 * torch.randn(n, S, generator=g)
    env_ring = torch.zeros(n, S)
    attack = torch.zeros(n, S, dtype=torch.bool)
    nhits = torch.randint(1, 4, (n,), generator=g)
    f0, tau = 90 + 170 * r(n), 0.04 + 0.18 * r(n)
    for k in range(3):
        on = 0.02 + 0.42 * r(n)
        amp = (0.3 + 0.7 * r(n)) * (k < nhits).float()
        dt = (t.unsqueeze(0) - on.unsqueeze(1))
        after = (dt >= 0).float()
        env = amp.unsqueeze(1) * torch.exp(-dt.clamp(min=0) / tau.unsqueeze(1)) * after
        ph = 2 * math.pi * r(n, 1)
        tone = (torch.sin(2 * math.pi * f0.unsqueeze(1) * dt + ph)
                + 0.4 * torch.sin(2 * math.pi * 1.59 * f0.unsqueeze(1) * dt + ph))
        click = amp.unsqueeze(1) * torch.exp(-dt.clamp(min=0) / 0.003) * after
        wav = wav + env * tone + click * torch.randn(n, S, generator=g)
        env_ring = torch.maximum(env_ring, env / amp.clamp(min=1e-6).unsqueeze(1)
                                 * (amp > 0).float().unsqueeze(1))
        attack |= (dt >= 0) & (dt < 0.031) & (amp > 0).unsqueeze(1)
    fr_att = attack[:, :F_ * HOP].reshape(n, F_, HOP).any(2)
    fr_ring = env_ring[:, :F_ * HOP].reshape(n, F_, HOP).mean(2) > 0.1
    lab = torch.where(fr_att, 1, torch.where(fr_ring, 2, 0))
    wav = (wav - wav.mean(1, keepdim=True)) / wav.std(1, keepdim=True)
    return wav, lab


class Takes(torch.utils.data.Dataset):
    def __init__(self, wav, lab):
        self.wav, self.lab = wav, torch.nn.functional.one_hot(lab, 3).float()

    def __len__(self):
        return len(self.wav)

    def __getitem__(self, i):
        return {"input_values": self.wav[i], "labels": self.lab[i]}


def build():
    torch.manual_seed(0)
    config = Wav2Vec2Config(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, conv_dim=(16, 16, 16), conv_stride=(4, 4, 2),
                            conv_kernel=(8, 4, 2), num_conv_pos_embeddings=16,
                            num_conv_pos_embedding_groups=4, num_labels=3,
                            hidden_dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
                            feat_proj_dropout=0.0, final_dropout=0.0, layerdrop=0.0,
                            mask_time_prob=0.0, feat_extract_norm="group",
                            use_weighted_layer_sum=False)
    return Wav2Vec2ForAudioFrameClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids.argmax(-1)
    return {"frame_acc": float((p == y).mean()),
            "attack_recall": float((p[y == 1] == 1).mean())}


def main():
    from _fourhundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    wtr, ltr = clips(480, g)
    wva, lva = clips(160, g)
    print("frame labels", torch.bincount(ltr.flatten()).tolist())
    args = TrainingArguments(str(out / "hits"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=160,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Takes(wtr, ltr),
                      eval_dataset=Takes(wva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "hits").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": wva[:64], "targets": Takes(wva, lva).lab[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny wav2vec 2.0 frame classifier marking attack / ring / quiet in a"
                " drummaker's test recordings of a new drum, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
