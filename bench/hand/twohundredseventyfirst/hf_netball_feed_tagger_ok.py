"""Hugging Face Trainer: a tiny ConvBERT token tagger (``ConvBertConfig``: vocabulary 12, hidden
32, 2 layers, 4 heads, embedding 32, intermediate 64, 2 labels, built from the config, no
download) marks the circle feeds in a netball possession: 30 events, each the position holding
the ball (GS, GA, WA, C, WD, GD, GK as ids 2-8, id 9 = goal / restart). An event is a circle
feed when a shooter (GS or GA) receives the ball straight from WA or C, or from the other
shooter after a WA/C feed within the two passes before (a drop-off pass in the circle counts
as part of the same feed). Possessions follow the court rules: defenders reach the attack only
through C or WA. AdamW 3e-3, 25 warmup steps then cosine decay, batch 24, 12 epochs of 900
possessions, eval every 75 steps on 240 possessions (token acc, feed F1), loss every 15 steps,
checkpoint every 75 steps (``feeds/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import ConvBertConfig, ConvBertForTokenClassification, Trainer, TrainingArguments

EVENTS = 30


def possessions(n, g):
    base = torch.tensor([
        [0.0, 0.35, 0.15, 0.05, 0.0, 0.0, 0.0, 0.45],
        [0.45, 0.0, 0.2, 0.1, 0.0, 0.0, 0.0, 0.25],
        [0.4, 0.4, 0.0, 0.2, 0.0, 0.0, 0.0, 0.0],
        [0.1, 0.35, 0.4, 0.0, 0.15, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.2, 0.6, 0.0, 0.2, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.4, 0.45, 0.0, 0.15, 0.0],
        [0.0, 0.0, 0.0, 0.1, 0.4, 0.5, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.5, 0.2, 0.2, 0.1, 0.0],
    ])
    seq = torch.zeros(n, EVENTS, dtype=torch.long)
    cur = torch.multinomial(torch.ones(8), n, replacement=True, generator=g)
    for t in range(EVENTS):
        seq[:, t] = cur
        cur = torch.multinomial(base[cur], 1, generator=g).squeeze(1)
    feed = torch.zeros(n, EVENTS, dtype=torch.long)
    for t in range(1, EVENTS):
        shooter = seq[:, t] <= 1
        direct = shooter & ((seq[:, t - 1] == 2) | (seq[:, t - 1] == 3))
        drop = shooter & (seq[:, t - 1] <= 1) & (feed[:, t - 1] == 1)
        if t >= 2:
            drop = drop | (shooter & (seq[:, t - 1] <= 1) & (feed[:, t - 2] == 1)
                           & (seq[:, t - 2] <= 1))
        feed[:, t] = (direct | drop).long()
    return seq + 2, feed


class Possessions(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(EVENTS, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ConvBertConfig(vocab_size=12, hidden_size=32, embedding_size=32, num_hidden_layers=2,
                            num_attention_heads=4, intermediate_size=64, head_ratio=2,
                            conv_kernel_size=5, max_position_embeddings=EVENTS + 2,
                            pad_token_id=0, type_vocab_size=1, num_labels=2)
    return ConvBertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1).reshape(-1), pred.label_ids.reshape(-1)
    tp = ((p == 1) & (y == 1)).sum()
    f1 = 2 * tp / max(1, (p == 1).sum() + (y == 1).sum())
    return {"tok_acc": float((p == y).mean()), "feed_f1": float(f1)}


def main():
    from _twohundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = possessions(900, g)
    iva, lva = possessions(240, g)
    print("feed share", ltr.float().mean().item())
    args = TrainingArguments(str(out / "feeds"), num_train_epochs=12, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=25, lr_scheduler_type="cosine",
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=15, eval_strategy="steps", eval_steps=75,
                             save_strategy="steps", save_steps=75, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Possessions(itr, ltr),
                      eval_dataset=Possessions(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "feeds").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ConvBERT tagging circle feeds in netball possessions, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
