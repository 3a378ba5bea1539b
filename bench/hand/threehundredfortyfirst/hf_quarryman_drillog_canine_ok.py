"""Hugging Face Trainer: a tiny CANINE character model (``CanineConfig``: 48 wide, 2 layers,
4 heads, 4 hash functions × 64 buckets, downsampling rate 2, built from the config, no
download; ``CanineForTokenClassification``) reads a quarry's measure-while-drilling log of a
blast hole and names the ground at every quarter metre, so the quarryman can charge the
hole right (no explosive against a clay seam or in the overburden). A hole is 12 m, 48
readings of the penetration rate (m/min); each reading is one character, the rate binned
into 20 steps on a log scale (``a`` to ``t``), after a start character (U+E000). Four
labels: soil / overburden, weathered rock, sound granite, clay seam. The rule behind them:
soil 0.5-2.5 m from the top drills fast (1.5-3 m/min), then 1-4 m of weathered rock at
0.6-1.2 m/min with rough patches, then sound granite at 0.25-0.45 m/min; in 40 % of holes
a 0.5-1.25 m clay seam inside the granite drills as fast as soil (the model has to know the
depth to tell them apart); every hole's rates are scaled by its bit's wear (0.8-1.2) and
noise. AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 16, 5 epochs of
800 holes, eval each epoch on 200 holes (per-reading accuracy and seam recall), loss
every 10 steps, a checkpoint each epoch (``mwd_canine/checkpoint-N/`` with
``trainer_state.json``, two kept).
Healthy; numbers in the README."""
import torch
from transformers import CanineConfig, CanineForTokenClassification, Trainer, TrainingArguments

T = 48
BINS = 20
START = 0xE000


def holes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    depth = 0.25 * (torch.arange(T).float() + 0.5).unsqueeze(0)
    soil = 0.5 + 2.0 * r(n, 1)
    weath = soil + 1 + 3 * r(n, 1)
    seam_top = weath + 1 + (11 - weath - 2) * r(n, 1)
    seam_bot = seam_top + 0.5 + 0.75 * r(n, 1)
    has_seam = r(n, 1) < 0.4
    lab = torch.where(depth < soil, 0, torch.where(depth < weath, 1, 2))
    lab = torch.where(has_seam & (depth >= seam_top) & (depth < seam_bot), 3, lab)
    lo = torch.tensor([1.5, 0.6, 0.25, 1.4])[lab]
    hi = torch.tensor([3.0, 1.2, 0.45, 2.8])[lab]
    rate = lo + (hi - lo) * r(n, T)
    rate = rate * (1 + 0.5 * (lab == 1).float() * (r(n, T) < 0.2).float())  # rough patches
    rate = rate * (0.8 + 0.4 * r(n, 1)) * torch.exp(0.08 * torch.randn(n, T, generator=g))
    b = ((torch.log(rate) - torch.log(torch.tensor(0.15))) / (torch.log(torch.tensor(5.0 / 0.15)))
         * BINS).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.full((n, 1), START), ord("a") + b], 1)
    labels = torch.cat([torch.full((n, 1), -100), lab], 1)
    return ids, labels


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = CanineConfig(hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                          intermediate_size=96, max_position_embeddings=T + 16,
                          num_hash_functions=4, num_hash_buckets=64, downsampling_rate=2,
                          local_transformer_stride=8, hidden_dropout_prob=0.0,
                          attention_probs_dropout_prob=0.0, num_labels=4)
    return CanineForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    seam = y == 3
    return {"reading_acc": float((p[m] == y[m]).mean()),
            "seam_recall": float((p[seam] == 3).mean())}


def main():
    from _threehundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = holes(800, g)
    iva, lva = holes(200, g)
    print("label shares", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "mwd_canine"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, ltr),
                      eval_dataset=Logs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "mwd_canine").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny CANINE token classifier naming the ground every quarter metre of a quarry"
                " blast hole from its drilling log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
