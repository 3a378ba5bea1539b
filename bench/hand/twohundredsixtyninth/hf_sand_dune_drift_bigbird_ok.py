"""Hugging Face Trainer: a tiny BigBird sequence classifier (``BigBirdConfig``: vocabulary 32,
hidden 32, 2 layers, 4 heads, intermediate 64, ``attention_type="original_full"``, 4 labels,
built from the config, no download) names which way a sand dune's slipface will move from 32
wind readings logged at the dune crest. Each reading is one token: the wind sector (8
sectors, 45° each) times a speed class (calm / moving sand / strong saltation), id 2 + 3 ·
sector + class. Sand flux goes with the cube of the speed above the saltation threshold
(calm readings move nothing); the label is the quadrant (north-, east-, south-, westward) of
the resultant drift direction summed over the 32 readings. Each record has a prevailing
sector plus scatter and a few storm readings. AdamW 3e-3, 20 warmup steps then cosine decay,
batch 32, 12 epochs of 1000 records, eval every 60 steps on 250 records (accuracy), loss every
15 steps, checkpoint every 120 steps (``drift/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    BigBirdConfig,
    BigBirdForSequenceClassification,
    Trainer,
    TrainingArguments,
)

N = 32
FLUX = torch.tensor([0.0, 1.0, 5.0])  # calm, moving sand, strong saltation


def records(n, g):
    prevail = torch.randint(0, 8, (n, 1), generator=g)
    scatter = torch.randint(-1, 2, (n, N), generator=g)
    storm = torch.rand(n, N, generator=g) < 0.15
    sector = torch.where(storm, torch.randint(0, 8, (n, N), generator=g), prevail + scatter) % 8
    speed = torch.multinomial(torch.tensor([0.3, 0.5, 0.2]), n * N, True, generator=g).view(n, N)
    ang = sector.float() * (math.pi / 4)
    f = FLUX[speed]
    # wind blows from the sector, sand goes downwind
    dx, dy = -(f * torch.sin(ang)).sum(1), -(f * torch.cos(ang)).sum(1)
    bearing = torch.atan2(dx, dy) % (2 * math.pi)
    label = ((bearing + math.pi / 4) // (math.pi / 2)).long() % 4
    return 2 + 3 * sector + speed, label


class Records(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = BigBirdConfig(vocab_size=32, hidden_size=32, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=64,
                           max_position_embeddings=N + 8, attention_type="original_full",
                           type_vocab_size=1, num_labels=4, pad_token_id=0)
    return BigBirdForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = records(1000, g)
    iva, lva = records(250, g)
    print("label counts", torch.bincount(ltr, minlength=4).tolist())
    args = TrainingArguments(str(out / "drift"), num_train_epochs=12, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=250,
                             logging_steps=15, eval_strategy="steps", eval_steps=60,
                             save_strategy="steps", save_steps=120, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Records(itr, ltr),
                      eval_dataset=Records(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "drift").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BigBird classifying sand dune slipface drift quadrant from crest wind"
                " readings, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
