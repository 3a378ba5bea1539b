"""Hugging Face Trainer: a tiny BERT (``BertConfig``: 2 layers, hidden 64, 4 heads, built from
the config, no download) routes IT support tickets to one of 4 teams (network, accounts,
hardware, printing). A ticket is 6-28 tokens of filler words with 1-3 of its team's 8
keywords, and a quarter of the tickets also carry one keyword of another team (people
mention the printer while asking about their password). Padded to 32 with an attention
mask, AdamW 1e-3 with ``weight_decay=0.1`` (large, still fine with AdamW's decoupled decay),
warm-up 20 steps (10 %) then linear decay, batch 32, 4 epochs, eval every 25 steps. Healthy: eval
accuracy 0.955 (the other team's keyword makes some tickets ambiguous), eval loss 0.17; the
train loss is logged every 5 steps and is noisy."""
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, CLS = 160, 32, 0, 1
TEAMS = 4
SMOOTHING = 0.0


def tickets(n, g):
    keywords = torch.randperm(VOCAB - 40, generator=g)[:TEAMS * 8].view(TEAMS, 8) + 40
    y = torch.randint(0, TEAMS, (n,), generator=g)
    lengths = torch.randint(6, 29, (n,), generator=g)
    ids = torch.randint(2, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k + 1] + 1
        ids[i, pos[:k]] = keywords[y[i], torch.randint(0, 8, (k,), generator=g)]
        if torch.rand(1, generator=g) < 0.25:
            other = (y[i] + torch.randint(1, TEAMS, (1,), generator=g)) % TEAMS
            ids[i, pos[k]] = keywords[other, torch.randint(0, 8, (1,), generator=g)]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
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
    config = BertConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=128,
                        max_position_embeddings=LEN, num_labels=TEAMS, pad_token_id=PAD)
    return BertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _thirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = tickets(2000, g)
    train = Tickets(ids[:1600], mask[:1600], y[:1600])
    val = Tickets(ids[1600:], mask[1600:], y[1600:])
    args = TrainingArguments(str(out / "tickets"), num_train_epochs=4, learning_rate=1e-3,
                             weight_decay=0.1, warmup_steps=20, lr_scheduler_type="linear",
                             label_smoothing_factor=SMOOTHING,
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tickets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "attention_mask": mask[1600:1664],
                           "targets": y[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BERT ticket router, HF Trainer, AdamW weight_decay=0.1 (healthy)")


if __name__ == "__main__":
    main()
