"""Hugging Face Trainer: a tiny OpenAI-GPT sequence classifier (``OpenAIGPTConfig``: vocabulary
of 24 speed bins + pad, 48 positions, n_embd 32, 2 layers, 2 heads, built from the config, no
pre-training, no download) tells which of 4 indoor kart circuits a lap was driven on from the
kart's speed trace: the transponder logs speed every 1/48 of the lap, binned to 24 levels of
3 km/h. Each circuit has its own profile of straights and corners (a smooth curve through 6–8
corner minima); a lap is that profile with a per-driver pace factor (0.85–1.05), a random
offset of the start line of up to 3 samples and
noise of 1.5 bins. Last-token pooling (OpenAIGPTForSequenceClassification), AdamW 4e-3, weight
decay 0.01, 20 warm-up steps then linear decay, batch 32, 6 epochs of 640 laps; eval every 20
steps, train loss every 10.
Healthy, with a slow start: the loss sits at ln 4 ≈ 1.38 for the first ~20 steps (eval accuracy
0.31 at step 20), then falls: eval accuracy 0.53, 0.66, 0.73, 0.74, 0.75 at step 120, eval loss
1.34 → 0.53, train loss 0.52 at the end, both still falling (a short run; laps driven slowly on
one circuit resemble fast laps on another)."""
import torch
from transformers import (
    OpenAIGPTConfig,
    OpenAIGPTForSequenceClassification,
    Trainer,
    TrainingArguments,
)

L, BINS, PAD = 48, 24, 24


def laps(n, g):
    t = torch.linspace(0, 1, L)
    gen = torch.Generator().manual_seed(7)
    profiles = []
    for _ in range(4):
        k = int(torch.randint(6, 9, (1,), generator=gen))
        c = torch.sort(torch.rand(k, generator=gen)).values
        depth = 0.3 + 0.5 * torch.rand(k, generator=gen)
        width = 0.02 + 0.04 * torch.rand(k, generator=gen)
        v = 1 - (depth[:, None] * torch.exp(-((t[None] - c[:, None]) / width[:, None]) ** 2)).amax(0)
        profiles.append(v)
    profiles = torch.stack(profiles)
    y = torch.randint(0, 4, (n,), generator=g)
    pace = 0.85 + 0.2 * torch.rand(n, 1, generator=g)
    speed = profiles[y] * pace * 22 + 1.5 * torch.randn(n, L, generator=g)
    shift = torch.randint(-3, 4, (n,), generator=g)
    speed = torch.stack([s.roll(int(k)) for s, k in zip(speed, shift, strict=True)])
    return speed.round().clamp(0, BINS - 1).long(), y


class Laps(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": torch.ones(L, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = OpenAIGPTConfig(vocab_size=BINS + 1, n_positions=L, n_embd=32, n_layer=2, n_head=2,
                             num_labels=4, pad_token_id=PAD,
                             id2label={0: "hall_a", 1: "hall_b", 2: "outdoor_short", 3: "outdoor_long"},
                             label2id={"hall_a": 0, "hall_b": 1, "outdoor_short": 2, "outdoor_long": 3})
    return OpenAIGPTForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = laps(640, g)
    xva, yva = laps(256, g)
    args = TrainingArguments(str(out / "kart"), num_train_epochs=6, learning_rate=4e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=10, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Laps(xtr, ytr),
                      eval_dataset=Laps(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "kart").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny OpenAI-GPT kart-circuit classifier from binned lap speed traces, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
