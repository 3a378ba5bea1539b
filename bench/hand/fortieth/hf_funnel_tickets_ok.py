"""Hugging Face Trainer: a tiny Funnel Transformer (``FunnelConfig``: d_model 64, 2 heads of 32,
blocks of 1 layer each at 3 pooling stages, 1 decoder layer, built from the config, no
download) sorts support-ticket snippets into 3 queues (billing, outage, account access). A
snippet is 8-30 tokens of filler with 1-3 of its queue's 8 keywords, some of them shared with
another queue; 8 % of the tickets were routed to a wrong queue by the agents (label noise).
Padded to 32 with an attention mask, AdamW 1e-3, weight decay 0.01, 10 warm-up steps then
linear decay, batch 32, 3 epochs, eval every 15 steps, train loss every 5 steps. Healthy: eval
accuracy 0.877 and eval loss 0.40 at the end of the linear schedule (8 % wrong queues and the
shared keywords cap it; the last evals move by less than 0.01), a noisy train loss."""
import torch
from transformers import FunnelConfig, FunnelForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, CLS = 150, 32, 0, 2
QUEUES = 3


def tickets(n, g):
    keywords = torch.randperm(VOCAB - 40, generator=g)[:QUEUES * 8].view(QUEUES, 8) + 40
    keywords[1, 7], keywords[2, 7] = keywords[0, 7], keywords[1, 6]
    y = torch.randint(0, QUEUES, (n,), generator=g)
    lengths = torch.randint(8, 31, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k] + 1
        ids[i, pos] = keywords[y[i], torch.randint(0, 8, (k,), generator=g)]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    flip = torch.rand(n, generator=g) < 0.08
    y = torch.where(flip, (y + torch.randint(1, QUEUES, (n,), generator=g)) % QUEUES, y)
    return ids * mask, mask, y


class Tickets(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = FunnelConfig(vocab_size=VOCAB, block_sizes=[1, 1, 1], num_decoder_layers=1,
                          d_model=64, n_head=2, d_head=32, d_inner=128, hidden_dropout=0.1,
                          attention_dropout=0.1, num_labels=QUEUES, pad_token_id=PAD)
    return FunnelForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = tickets(1400, g)
    train = Tickets(ids[:1100], mask[:1100], y[:1100])
    val = Tickets(ids[1100:], mask[1100:], y[1100:])
    args = TrainingArguments(str(out / "tickets"), num_train_epochs=3, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=15, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tickets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1100:1164], "attention_mask": mask[1100:1164],
                           "targets": y[1100:1164]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Funnel Transformer support-ticket router, HF Trainer, 8 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
