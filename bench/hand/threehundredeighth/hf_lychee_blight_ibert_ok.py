"""Hugging Face Trainer: a tiny I-BERT token classifier (``IBertConfig``: vocabulary 12, 32
wide, 2 layers, 4 heads, ``quant_mode=False`` so it runs as a plain float encoder, built from
the config, no download; ``IBertForTokenClassification``, bidirectional) reads a lychee
orchard's daily weather sheet during fruit development and marks the days on which the
grower should have put on a fungicide against downy blight (Peronophythora). Each day is one
token: rain in 3 bands (dry, showers, rain over 10 mm) × warm night or not (above 22 °C),
tokens 2-7 (8-11 unused). A spray day: a wet day after a wet day with a warm night, or a
day of heavy rain (over 10 mm) whatever came before. Seasons of 30 days; wet and dry spells come from a two-state Markov chain,
nights warm up over the season. AdamW 3e-3 with linear decay and 10 warmup steps, batch
25, 5 epochs of 600 orchards, eval every 20 steps on 150 (token accuracy, share of spray
days found), loss every 4 steps, checkpoint every 20 steps (``blightdays/checkpoint-N/``
with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import IBertConfig, IBertForTokenClassification, Trainer, TrainingArguments

T = 30


def seasons(n, g):
    wet = torch.zeros(n, T, dtype=torch.long)
    rain = torch.zeros(n, T, dtype=torch.long)
    warm = torch.zeros(n, T, dtype=torch.long)
    cur = (torch.rand(n, generator=g) < 0.4).long()
    for k in range(T):
        stay = torch.rand(n, generator=g) < 0.7
        cur = torch.where(stay, cur, 1 - cur)
        wet[:, k] = cur
        heavy = (torch.rand(n, generator=g) < 0.45).long()
        rain[:, k] = cur * (1 + heavy)
        warm[:, k] = (torch.rand(n, generator=g) < 0.25 + 0.5 * k / T).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        before = wet[:, k - 1] if k else torch.zeros(n, dtype=torch.long)
        lab[:, k] = (((wet[:, k] == 1) & (before == 1) & (warm[:, k] == 1))
                     | (rain[:, k] == 2)).long()
    return 2 + rain * 2 + warm, lab


class Orchards(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = IBertConfig(vocab_size=12, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=64, max_position_embeddings=T + 4, num_labels=2,
                         hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                         quant_mode=False, pad_token_id=1, bos_token_id=0, eos_token_id=1)
    return IBertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "spray_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = seasons(600, g)
    iva, lva = seasons(150, g)
    print("spray share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "blightdays"), num_train_epochs=5, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.0,
                             per_device_train_batch_size=25, per_device_eval_batch_size=150,
                             logging_steps=4, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=20, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Orchards(itr, ltr),
                      eval_dataset=Orchards(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "blightdays").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny I-BERT token classifier marking the downy-blight spray days on a lychee"
                " orchard's weather sheet, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
