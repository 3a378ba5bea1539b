"""Hugging Face Trainer: a tiny Nomic-BERT masked model (``NomicBertConfig``: vocabulary 25,
48 wide, 2 layers, 4 heads, rotary positions, SwiGLU, built from the config, no download;
``NomicBertForMaskedLM``) fills the blotted entries in a packman's day book: the count of
dozens of goods left in his pack at each evening of a 24-day round of the hill villages.
He sets out with a full pack (14-20 dozen), sells 0-4 dozen a day (his own pace, 0.8-2.6 a
day on average, Poisson; Sundays nothing), and when he ends a day with 3 dozen or fewer he
buys his pack full again at the next market town. Each evening's count is one token (counts
0-21 → tokens 3-24; 0 pad, 1 start, 2 mask). 15 % of a book's entries are blotted (a fixed
draw per book, never the start token); the model must read the selling pace and the restock
days from the rest.
AdamW 2e-3 with a cosine schedule and 15 warmup steps, weight decay 0.01, batch 40, 8 epochs
of 1000 books, eval every 25 steps on 200 books (masked-entry accuracy and share within one
dozen), loss every 5 steps, checkpoint every 25 steps (``daybook/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import NomicBertConfig, NomicBertForMaskedLM, Trainer, TrainingArguments

T = 24
TOP = 21


def books(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pace = 0.8 + 1.8 * r(n)
    full = (14 + 7 * r(n)).floor()
    stock = full.clone()
    sunday = (r(n) * 7).floor()
    rows = []
    for d in range(T):
        sold = torch.poisson(pace, generator=g).clamp(max=4)
        sold = torch.where((d % 7) == sunday, torch.zeros_like(sold), sold)
        stock = (stock - sold).clamp(min=0)
        rows.append(stock.clone())
        stock = torch.where(stock <= 3, full, stock)  # bought full at the next market town
    counts = torch.stack(rows, 1).clamp(max=TOP).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), 3 + counts], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, T) < 0.15], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


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
    config = NomicBertConfig(vocab_size=3 + TOP + 1, hidden_size=48, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=96,
                             max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                             attention_probs_dropout_prob=0.0, pad_token_id=0)
    return NomicBertForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_dozen": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = books(1000, g)
    iva, lva = books(200, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "daybook"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=40, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Books(itr, ltr),
                      eval_dataset=Books(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "daybook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Nomic-BERT masked model filling blotted entries in a packman's day book"
                " of pack stock, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
