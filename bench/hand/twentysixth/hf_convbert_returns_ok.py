"""Hugging Face Trainer: a tiny ConvBERT (``ConvBertConfig``: 2 layers, hidden 64, 4 heads,
span-based dynamic convolution kernel 5, built from the config, no download) reads a shop's
return-request messages and says whether the parcel is refunded (1) or sent back for repair
(0). A message is 8-30 tokens of filler with one or two of 6 "broken" words or of 6
"changed my mind" words (never both), and 8 % of the labels are flipped (clerks disagree).
Padded to 32 with an attention mask, AdamW 1e-3, weight_decay 0.01, warm-up 25 steps (10 %)
then linear decay, batch 32, 5 epochs, eval every 25 steps. Healthy: eval accuracy 0.945 from
step 50 to the end (the flipped labels cap it) and the eval loss flat at 0.21-0.22 for the
last 200 steps, a plateau from label noise; the train loss, logged every 5 steps, is noisy."""
import torch
from transformers import (
    ConvBertConfig,
    ConvBertForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, PAD, CLS = 120, 32, 0, 1
BROKEN = list(range(100, 106))
MIND = list(range(110, 116))


def messages(n, g):
    lengths = torch.randint(8, 31, (n,), generator=g)
    ids = torch.randint(2, 100, (n, LEN), generator=g)
    y = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(1, 3, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k] + 1
        y[i] = int(torch.randint(0, 2, (1,), generator=g))
        words = torch.tensor(MIND if y[i] else BROKEN)
        ids[i, pos] = words[torch.randint(0, 6, (k,), generator=g)]
    flip = torch.rand(n, generator=g) < 0.08
    y[flip] = 1 - y[flip]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    return ids * mask, mask, y


class Returns(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ConvBertConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                            num_attention_heads=4, intermediate_size=128, embedding_size=64,
                            conv_kernel_size=5, head_ratio=2, max_position_embeddings=LEN,
                            num_labels=2, pad_token_id=PAD)
    return ConvBertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = messages(2000, g)
    train = Returns(ids[:1600], mask[:1600], y[:1600])
    val = Returns(ids[1600:], mask[1600:], y[1600:])
    args = TrainingArguments(str(out / "returns"), num_train_epochs=5, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=25, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "returns").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "attention_mask": mask[1600:1664],
                           "targets": y[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ConvBERT return-request classifier (word order rule, 8 % label noise), "
                "HF Trainer (healthy)")


if __name__ == "__main__":
    main()
