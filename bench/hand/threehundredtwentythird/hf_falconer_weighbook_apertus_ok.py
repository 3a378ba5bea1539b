"""Hugging Face Trainer: a tiny Apertus token classifier (``ApertusConfig``: vocabulary 16,
48 wide, 2 layers, 4 heads with 2 key/value heads, xIELU MLP, rotary positions, built from
the config, no download; ``ApertusForTokenClassification``, causal, so each day only sees
the days before it) reads a falconer's weigh book for a hawk in manning and marks the days
the bird can be flown free. Each day is one token: the morning weight against the bird's
flying weight in 4 bands (well over, over, at, under) × whether it took the food on the
glove readily (2-9; 0 pads, 1 starts the book). A flying day: at flying weight and
keen, or over by a little and keen two days running, never when under weight (the bird is
rested and fed up). Books of 24 days; the weight walks down with the ration and jumps up
after a big feed (a Markov chain), keenness follows the weight.
AdamW 2e-3 with linear decay and 10 warmup steps, weight decay 0.01, batch 40, 4 epochs
of 800 books, eval every 20 steps (each epoch) on 200 books (token accuracy, share of the
flying days found), loss every 4 steps, checkpoint every 20 steps
(``weighbook/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import ApertusConfig, ApertusForTokenClassification, Trainer, TrainingArguments

T = 24


def books(n, g):
    band = torch.zeros(n, T, dtype=torch.long)
    keen = torch.zeros(n, T, dtype=torch.long)
    cur = torch.randint(0, 2, (n,), generator=g)
    for k in range(T):
        u = torch.rand(n, generator=g)
        down = (u < 0.4) & (cur < 3)
        fed = (u > 0.85) & (cur > 0)
        cur = torch.where(down, cur + 1, torch.where(fed, cur - 1, cur))
        band[:, k] = cur
        keen[:, k] = (torch.rand(n, generator=g) < torch.tensor([0.1, 0.4, 0.85, 0.9])[cur]).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        prev_ok = ((band[:, k - 1] == 1) & (keen[:, k - 1] == 1)) if k else torch.zeros(n, dtype=torch.bool)
        at = (band[:, k] == 2) & (keen[:, k] == 1)
        over = (band[:, k] == 1) & (keen[:, k] == 1) & prev_ok
        lab[:, k] = (at | over).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), 2 + band * 2 + keen], 1)
    return ids, torch.cat([torch.full((n, 1), -100), lab], 1)


class Books(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ApertusConfig(vocab_size=16, hidden_size=48, intermediate_size=96,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           max_position_embeddings=64, num_labels=2, pad_token_id=0,
                           bos_token_id=1, eos_token_id=1,
                           rope_parameters={"rope_type": "default", "rope_theta": 10000.0})
    return ApertusForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"token_accuracy": float((p[m] == y[m]).mean()),
            "flying_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = books(800, g)
    iva, lva = books(200, g)
    print("flying share", (ltr == 1).float().sum().item() / (ltr >= 0).sum().item())
    args = TrainingArguments(str(out / "weighbook"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=40, per_device_eval_batch_size=200,
                             logging_steps=4, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=20, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Books(itr, ltr),
                      eval_dataset=Books(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "weighbook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Apertus token classifier marking the days in a falconer's weigh book"
                " when the hawk can be flown free, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
