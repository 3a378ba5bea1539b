"""Hugging Face Trainer: a tiny Mellum causal language model (``MellumConfig``: vocabulary 16,
hidden 32, 2 layers, 2 heads, 1 KV head, 4 experts of width 32 with 2 per token; built from
the config, no download) learns the changes a carillonneur plays on 6 bells: a touch starts in
rounds (1 2 3 4 5 6) and each following row swaps pairs of adjacent bells by a place-notation
rule (cross, or hold a place) picked at random per row, as in change ringing. Tokens: 0 pad,
1 start, 2 row break, 3–8 the bells. 7 rows of 6 bells per touch (50 tokens with breaks);
next-token loss. AdamW 5e-3, 10 warm-up steps then linear decay, batch 32, 8 epochs of 512
touches (128 steps), eval every 16 steps, loss every 4 steps.
Healthy: eval loss 1.82, 1.14, 0.86, 0.73, 0.61, 0.56, 0.53, 0.51 at steps 16–128 (train loss
0.52 at the end, level with it); the floor is above zero because the
swap rule of each row is random (only the first bell of a row is a real guess, the rest
follows from the previous row)."""
import torch
from transformers import MellumConfig, MellumForCausalLM, Trainer, TrainingArguments

V, BELLS, ROWS = 16, 6, 7
RULES = [[(0, 1), (2, 3), (4, 5)], [(1, 2), (3, 4)], [(0, 1), (3, 4)], [(1, 2), (4, 5)],
         [(0, 1), (2, 3)]]


def touches(n, g):
    out = []
    for _ in range(n):
        row = list(range(BELLS))
        seq = [1] + [b + 3 for b in row]
        for _ in range(ROWS - 1):
            for a, b in RULES[int(torch.randint(0, len(RULES), (1,), generator=g))]:
                row[a], row[b] = row[b], row[a]
            seq += [2] + [b + 3 for b in row]
        out.append(seq)
    return torch.tensor(out)


class Touches(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = MellumConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                          moe_intermediate_size=32, num_local_experts=4, num_experts_per_tok=2,
                          num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                          head_dim=16, max_position_embeddings=64, pad_token_id=0,
                          bos_token_id=1)
    return MellumForCausalLM(config)


def main():
    from _hundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = touches(512, g)
    xva = touches(128, g)
    args = TrainingArguments(str(out / "carillon"), num_train_epochs=8, learning_rate=5e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=128,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=64, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Touches(xtr),
                      eval_dataset=Touches(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "carillon").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mellum (MoE) causal LM on carillon change-ringing rows, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
